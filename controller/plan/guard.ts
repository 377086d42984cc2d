/**
 * The deletion guards. The mass-deletion guard refuses a plan that would tear down more than half of the stacks
 * this instance manages (or all of them). Every project, environment and application the plan deletes counts for
 * the stack its marker names — a project cleaned up counts as much as a stack's teardown, so a project whose
 * description carries a copied marker is weighed too. The empty-stack guard (Argo CD's allowEmpty) refuses, for one
 * stack, a plan that would delete every application of a stack that still exists. A wrong source path, an emptied
 * branch or a truncated manifest then shows up as a refused plan instead of an empty server.
 */
import { subjectOf } from "../errors.ts";
import type { StackError } from "../errors.ts";
import type { ActualState, DesiredStack, OwnerMarker } from "../model.ts";
import type { ObservedIndex } from "./observed.ts";
import type { Change, Plan, StackPlan } from "./types.ts";

const ALLOW_EMPTY_ANNOTATION = "stackctl.dev/allow-empty";

/** What the mass-deletion guard weighs. */
export interface GuardInput {
  actual: ActualState;
  observed: ObservedIndex;
  instance: string;
  allow: boolean;
}

/** guardMassDeletion returns the plan, marked refused with an error when it deletes too much. */
export function guardMassDeletion(plan: Plan, input: GuardInput): Plan {
  if (input.allow) return plan;
  const synced = new Set(plan.stacks.filter((s) => s.mode === "sync").map((s) => s.stack));
  const weight = weighDeletions(plan, input);
  const tornDown = new Set([...weight.stacks].filter((stack) => !synced.has(stack)));
  const managed = new Set([...input.observed.managedStacks.keys(), ...weight.projectOwners]).size;
  if (managed === 0 || tornDown.size === 0) return plan;
  if (tornDown.size * 2 <= managed && tornDown.size < managed) return plan;
  const names = [...tornDown].sort().join(", ");
  const message = `refusing to tear down ${tornDown.size} of ${managed} managed stacks (${names}; ${weight.objects} objects): more than half; check the source, or pass --allow-mass-deletion`;
  return { ...plan, refused: true, errors: [...plan.errors, { code: "plan.mass-deletion", subject: `target/${plan.target}`, message }] };
}

/** What a plan deletes: how many objects, the stacks their markers (of this instance) name, and every project owner. */
interface DeletionWeight {
  objects: number;
  stacks: Set<string>;
  projectOwners: Set<string>;
}

/**
 * weighDeletions counts every project, environment and application the plan deletes, with what a project deletion
 * takes along, in one pass over the observed state (a lookup per deleted object made the guard O(N²) on 10,000
 * stacks).
 */
export function weighDeletions(plan: Plan, input: Pick<GuardInput, "actual" | "instance">): DeletionWeight {
  const ids = deletedIds(plan.stacks);
  // Projects are deleted by the cleanup only (planCleanup), after the stacks' changes empty them.
  const projects = new Set(plan.cleanup.flatMap(({ operation: op }) => (op.op === "deleteProject" ? [op.id] : [])));
  const weight: DeletionWeight = { objects: 0, stacks: new Set(), projectOwners: new Set() };
  const count = (owner: OwnerMarker | null): void => {
    weight.objects += 1;
    if (owner?.instance === input.instance) weight.stacks.add(owner.stack);
  };
  for (const project of input.actual.projects) {
    if (project.owner?.instance === input.instance) weight.projectOwners.add(project.owner.stack);
    const gone = projects.has(project.id);
    if (gone) count(project.owner);
    for (const env of project.environments) {
      if (gone || ids.has(env.id)) count(env.owner);
      for (const app of env.applications) if (gone || ids.has(app.id)) count(app.owner);
    }
  }
  return weight;
}

/**
 * guardEmptyStack refuses the changes of a stack whose manifest declares no application while the plan deletes
 * the ones it owns, unless the stack carries `stackctl.dev/allow-empty: "true"` or the run allows mass deletion.
 */
export function guardEmptyStack(stack: DesiredStack, changes: readonly Change[], allow: boolean): StackError[] {
  if (allow || stack.allowEmpty || stack.applications.length > 0) return [];
  const deleted = changes.filter((c) => c.operation.op === "deleteApplication").length;
  if (deleted === 0) return [];
  const message = `refusing to delete all ${deleted} application(s) of the stack: the manifest declares none (truncated?); to empty it on purpose, set the annotation ${ALLOW_EMPTY_ANNOTATION}: "true" or pass --allow-mass-deletion`;
  return [{ code: "plan.empty-stack", subject: subjectOf(stack.name), file: stack.file, field: "spec.applications", message }];
}

/** Ids of the applications and environments the applicable stacks of a plan delete. */
export function deletedIds(stacks: readonly StackPlan[]): Set<string> {
  const deleted = new Set<string>();
  for (const change of stacks.flatMap((s) => (s.errors.length === 0 ? s.changes : []))) {
    const op = change.operation;
    if (op.op === "deleteApplication") deleted.add(op.id);
    if (op.op === "deleteEnvironment" && op.env.environment.id) deleted.add(op.env.environment.id);
  }
  return deleted;
}
