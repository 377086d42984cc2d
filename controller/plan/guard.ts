/**
 * The deletion guards. The mass-deletion guard refuses a plan that would tear down more than half of the stacks
 * this instance manages (or all of them), or delete more than half of the objects it owns — every project,
 * environment and application the plan deletes counts, whether a removed stack, a prune or a project cleanup
 * deletes it. The empty-stack guard (Argo CD's allowEmpty) refuses, for one stack, a plan that would delete every
 * application of a stack that still exists. A wrong source path, an emptied branch or a truncated manifest then
 * shows up as a refused plan instead of an empty server.
 */
import { subjectOf } from "../errors.ts";
import type { StackError } from "../errors.ts";
import type { ActualState, DesiredStack } from "../model.ts";
import type { OwnerIndex } from "./owners.ts";
import type { Change, Plan } from "./types.ts";

const ALLOW_EMPTY_ANNOTATION = "stackctl.dev/allow-empty";

/** What the mass-deletion guard weighs. */
export interface GuardInput {
  actual: ActualState;
  owners: OwnerIndex;
  allow: boolean;
  /** Count objects too: only a run that sees every owned project (an authoritative one) knows what "most" is. */
  countObjects: boolean;
}

/** guardMassDeletion returns the plan, marked refused with an error when it deletes too much. */
export function guardMassDeletion(plan: Plan, input: GuardInput): Plan {
  if (input.allow) return plan;
  const messages = [stackRatio(plan, input.owners), input.countObjects ? objectRatio(plan, input) : null].filter((m) => m !== null);
  if (messages.length === 0) return plan;
  const errors = messages.map((message) => ({ code: "plan.mass-deletion", subject: `target/${plan.target}`, message }));
  return { ...plan, refused: true, errors: [...plan.errors, ...errors] };
}

function stackRatio(plan: Plan, owners: OwnerIndex): string | null {
  const managed = owners.stacks.size;
  const tornDown = plan.stacks.filter((s) => s.mode === "teardown" && s.changes.length > 0).map((s) => s.stack);
  if (managed === 0 || tornDown.length === 0) return null;
  if (tornDown.length * 2 <= managed && tornDown.length < managed) return null;
  return `refusing to tear down ${tornDown.length} of ${managed} managed stacks (${tornDown.join(", ")}): more than half; check the source, or pass --allow-mass-deletion`;
}

function objectRatio(plan: Plan, input: GuardInput): string | null {
  const deleted = deletedObjects(plan, input.actual);
  const owned = Math.max(input.owners.ownedIds.size, 1);
  if (deleted.size === 0 || deleted.size * 2 <= owned) return null;
  return `refusing to delete ${deleted.size} of the ${input.owners.ownedIds.size} objects this instance manages (projects, environments, applications): more than half; check the source, or pass --allow-mass-deletion`;
}

/** Ids of every project, environment and application the plan deletes, with what a project deletion takes along. */
export function deletedObjects(plan: Plan, actual: ActualState): Set<string> {
  const deleted = new Set<string>();
  const changes = [...plan.stacks.flatMap((s) => (s.errors.length === 0 ? s.changes : [])), ...plan.cleanup];
  for (const { operation: op } of changes) {
    if (op.op === "deleteApplication") deleted.add(op.id);
    if (op.op === "deleteEnvironment" && op.env.environment.id) deleted.add(op.env.environment.id);
    if (op.op !== "deleteProject") continue;
    deleted.add(op.id);
    const project = actual.projects.find((p) => p.id === op.id);
    for (const env of project?.environments ?? []) {
      deleted.add(env.id);
      for (const app of env.applications) deleted.add(app.id);
    }
  }
  return deleted;
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
