/**
 * Observing and planning one target for the controller's handlers. A stack's reconcile and a target's teardown sweep
 * both plan through `planTargets`, as `diff` and `apply` do, and both record whether the target answered (for
 * `/readyz`) and turn a target that could not be read into a ReconcileFailure with the condition reason it deserves.
 */
import type { PlanTargetsInput } from "../engine.ts";
import { planTargets } from "../engine.ts";
import { formatStackError } from "../errors.ts";
import type { Plan } from "../plan/types.ts";
import type { LoopContext } from "./context.ts";
import { ReconcileFailure, reasonForTargetError } from "./context.ts";

/** What a handler plans on its target: everything of PlanTargetsInput but the instance and targets. */
export type TargetPlanRequest = Omit<PlanTargetsInput, "instance" | "targets">;

/** planOnTarget observes `target` and plans `request` there; throws ReconcileFailure when the target cannot be read. */
export async function planOnTarget(ctx: LoopContext, target: string, request: TargetPlanRequest): Promise<Plan> {
  const runtime = ctx.targets.get(target);
  if (!runtime) throw new ReconcileFailure("ReconciliationFailed", `target/${target}: not configured`);
  const [result] = await planTargets({ ...request, instance: ctx.instance, targets: [runtime] });
  if (result!.error) {
    ctx.targetContact(target, result!.error);
    throw new ReconcileFailure(reasonForTargetError(result!.error.code), formatStackError(result!.error));
  }
  ctx.targetContact(target, null);
  return result!.plan;
}
