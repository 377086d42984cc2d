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
import type { ActualState, DesiredStack } from "../model.ts";
import type { ObservedIndex } from "./observed.ts";
import type { Change, Plan } from "./types.ts";

const ALLOW_EMPTY_ANNOTATION = "stackctl.dev/allow-empty";

/** What the mass-deletion guard weighs. */
export interface GuardInput {
  actual: ActualState;
  observed: ObservedIndex;
  allow: boolean;
}

/** guardMassDeletion returns the plan, marked refused with an error when it deletes too much. */
export function guardMassDeletion(plan: Plan, input: GuardInput): Plan {
  if (input.allow) return plan;
  const synced = new Set(plan.stacks.filter((s) => s.mode === "sync").map((s) => s.stack));
  const deleted = deletedObjects(plan, input.actual);
  const tornDown = new Set<string>();
  for (const id of deleted) {
    const stack = input.observed.stackOf.get(id);
    if (stack !== undefined && !synced.has(stack)) tornDown.add(stack);
  }
  const managed = new Set([...input.observed.managedStacks.keys(), ...input.observed.stackOf.values()]).size;
  if (managed === 0 || tornDown.size === 0) return plan;
  if (tornDown.size * 2 <= managed && tornDown.size < managed) return plan;
  const names = [...tornDown].sort().join(", ");
  const message = `refusing to tear down ${tornDown.size} of ${managed} managed stacks (${names}; ${deleted.size} objects): more than half; check the source, or pass --allow-mass-deletion`;
  return { ...plan, refused: true, errors: [...plan.errors, { code: "plan.mass-deletion", subject: `target/${plan.target}`, message }] };
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
