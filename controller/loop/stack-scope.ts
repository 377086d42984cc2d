/**
 * What one stack's reconcile asks observe() to read: the stack's project alone (plus, once, the project it moved
 * from), by remembered id unless it moved; and in full only the applications of its own environment. Other
 * stacks' applications in a shared project, and this stack's leftovers elsewhere, are listed with their markers
 * only: plan() diffs the applications of the stack's environment and removes the rest by id, so reading every
 * application of a project shared by S stacks in full, S times per drift interval, cost O(S²) requests.
 */
import type { PlanTargetsInput } from "../engine.ts";
import type { DesiredStack } from "../model.ts";

/** The observe options of a reconcile of `desired`; `moved` names the project it was last applied to, when another. */
export function stackObserveScope(desired: Pick<DesiredStack, "project" | "environment">, moved: readonly string[]): NonNullable<PlanTargetsInput["observe"]> {
  return {
    onlyNamed: true,
    knownProjectsOnly: moved.length === 0,
    detailApplications: (project, environment) => project === desired.project && environment === desired.environment,
  };
}
