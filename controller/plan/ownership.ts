/**
 * Ownership decisions of plan(): which existing object a stack may manage, adopt, or must leave alone.
 * The rule throughout: an object is written only when its marker names this instance (and stack, below the
 * project), or when the stack opted in to adopting unmarked objects.
 */
import type { ActualEnvironment, ActualProject, OwnerMarker } from "../model.ts";

/** The verdict on an existing object a stack wants. */
export type Claim<T> =
  | { kind: "missing" }
  | { kind: "owned"; object: T }
  | { kind: "adoptable"; object: T; from?: string }
  | { kind: "conflict"; message: string };

function describeOwner(owner: OwnerMarker | null): string {
  return owner === null ? "is not managed by stackctl" : `is managed by stackctl instance '${owner.instance}' for stack '${owner.stack}'`;
}

const ADOPT_HINT = `; to take it over, set the annotation stackctl.dev/adopt: "true"`;

/**
 * claimProject finds the project named `name`. Names are not unique on the servers, so one marked by this
 * instance wins; otherwise one unmarked project may be adopted when the stack allows it.
 */
export function claimProject(projects: readonly ActualProject[], name: string, instance: string, adopt: boolean): Claim<ActualProject> {
  const candidates = projects.filter((p) => p.name === name).sort((a, b) => a.id.localeCompare(b.id));
  if (candidates.length === 0) return { kind: "missing" };
  const mine = candidates.find((p) => p.owner?.instance === instance);
  if (mine) return { kind: "owned", object: mine };
  const unmarked = candidates.filter((p) => p.owner === null);
  if (unmarked.length === 0) return { kind: "conflict", message: `project '${name}' ${describeOwner(candidates[0]!.owner)}` };
  if (!adopt) return { kind: "conflict", message: `project '${name}' exists and is not managed by stackctl${ADOPT_HINT}` };
  if (unmarked.length > 1) return { kind: "conflict", message: `${unmarked.length} unmarked projects are named '${name}'; refusing to guess which one to adopt` };
  return { kind: "adoptable", object: unmarked[0]! };
}

/**
 * claimEnvironment finds the stack's environment in a project it may use. The project's default environment,
 * unmarked in a project this instance owns, is claimed without adoption: the platform created it with the project.
 * One that `handover` hands over from a stack whose manifest is gone (a rename) is adopted from that stack.
 */
export function claimEnvironment(project: ActualProject, name: string, instance: string, stack: string, adopt: boolean, handover: ReadonlyMap<string, string> = new Map()): Claim<ActualEnvironment> {
  const candidates = project.environments.filter((e) => e.name === name).sort((a, b) => a.id.localeCompare(b.id));
  if (candidates.length === 0) return { kind: "missing" };
  const mine = candidates.find((e) => e.owner?.instance === instance && e.owner.stack === stack);
  if (mine) return { kind: "owned", object: mine };
  const inherited = candidates.find((e) => handover.has(e.id));
  if (inherited) return { kind: "adoptable", object: inherited, from: handover.get(inherited.id)! };
  const unmarked = candidates.find((e) => e.owner === null);
  if (!unmarked) return { kind: "conflict", message: `environment '${name}' of project '${project.name}' ${describeOwner(candidates[0]!.owner)}` };
  if (unmarked.isDefault && project.owner?.instance === instance) return { kind: "adoptable", object: unmarked };
  if (!adopt) return { kind: "conflict", message: `environment '${name}' of project '${project.name}' exists and is not managed by stackctl${ADOPT_HINT}` };
  return { kind: "adoptable", object: unmarked };
}
