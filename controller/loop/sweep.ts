/**
 * A target's teardown sweep: the work handler for `sweep:<target>`. It tears down the stacks this instance manages
 * on the target that no manifest declares any more, and deletes the projects that leaves empty. It first surveys the
 * target without any lock, reading only summaries (no application details, 1 + P requests on Dokploy) and, after
 * the start-up sweep, spreading its P project reads over a quarter of the drift interval, as the drift checks are
 * spread, instead of reading every owned project in one burst. Only when the survey finds something to delete does
 * it take the target exclusively, read again and plan with the same plan() in teardown-only mode, so the
 * mass-deletion guard and deletion policies apply exactly as for `apply`, on a read made under the lock.
 * It runs after a revision drops a stack, at start-up, and every drift interval.
 */
import { applyPlan } from "../apply.ts";
import { formatStackError } from "../errors.ts";
import { hasChanges } from "../plan/types.ts";
import type { Plan } from "../plan/types.ts";
import { markStalled } from "./conditions.ts";
import type { LoopContext } from "./context.ts";
import { ReconcileFailure } from "./context.ts";
import { planOnTarget } from "./observe-target.ts";
import type { WorkResult } from "./queue.ts";
import { jittered } from "./schedule.ts";
import { declaredNames } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";

/** sweepTarget handles a sweep key; see the file comment. */
export async function sweepTarget(ctx: LoopContext, target: string): Promise<WorkResult> {
  const snap = ctx.snapshot();
  const next = { requeueAfterMs: jittered(ctx.driftIntervalMs, ctx.random) };
  if (!snap) return {};
  const log = ctx.logger.child({ sweep: target, revision: snap.revision });
  if (snap.unattributed.length > 0) {
    log.warn({ errors: snap.unattributed }, "teardown suspended: a manifest file does not parse or is not clearly something else");
    return next;
  }
  const runtime = ctx.targets.get(target);
  if (!runtime) return {};
  const survey = await planSweep(ctx, snap, target, surveyPace(ctx, target, snap.revision));
  if (!survey.refused && !hasChanges(survey)) {
    await forgetRemoved(ctx, snap, target, survey);
    return next;
  }
  return ctx.locks.withTarget(target, async () => {
    const plan = await planSweep(ctx, snap, target);
    if (plan.refused) {
      await recordRefusal(ctx, plan);
      return next;
    }
    if (hasChanges(plan)) {
      log.info({ stacks: plan.stacks.filter((s) => s.changes.length > 0).map((s) => s.stack) }, "tearing down removed stacks");
      const result = await applyPlan(plan, runtime.provider, { signal: ctx.signal });
      for (const s of result.stacks) {
        ctx.metrics.reconciled(s.stack, s.status === "failed" ? "failure" : "success", 0);
        if (s.status !== "failed") await ctx.status.remove(s.stack);
      }
      const errors = [...result.errors, ...result.stacks.flatMap((s) => s.errors)];
      if (errors.length > 0) throw new ReconcileFailure("ReconciliationFailed", errors.map(formatStackError).join("; "));
    }
    await forgetRemoved(ctx, snap, target, plan);
    return next;
  });
}

/** The revision each target was last surveyed at: a sweep after a new revision (a stack removed) runs at once. */
const surveyed = new WeakMap<LoopContext, Map<string, string>>();

/**
 * The pacing of a survey's project reads: none for a target's first sweep or the first after a new revision;
 * otherwise (the periodic sweep) one read every (drift interval ÷ 4 ÷ stacks on the target), so the reads of P
 * projects take about a quarter of the interval.
 */
export function surveyPace(ctx: LoopContext, target: string, revision: string): (() => Promise<void>) | undefined {
  const seen = surveyed.get(ctx) ?? new Map<string, string>();
  surveyed.set(ctx, seen);
  const previous = seen.get(target);
  seen.set(target, revision);
  if (previous !== revision) return undefined;
  const stacks = ctx.status.list().filter((s) => s.target === target).length;
  const spacingMs = ctx.driftIntervalMs / 4 / Math.max(1, stacks);
  let nextAt = ctx.timers.now();
  return () => {
    const at = Math.max(nextAt, ctx.timers.now());
    nextAt = at + spacingMs;
    const wait = at - ctx.timers.now();
    if (wait < 1 || ctx.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => ctx.timers.setTimeout(resolve, wait));
  };
}

function planSweep(ctx: LoopContext, snap: Snapshot, target: string, paceReads?: () => Promise<void>): Promise<Plan> {
  return planOnTarget(ctx, target, {
    desired: [...snap.stacks.values()].map((s) => s.desired).filter((d) => d.target === target),
    // Stacks paused through the API are never torn down, like stacks whose manifest failed.
    failedStacks: [...[...snap.failed.values()].map((f) => ({ name: f.name, target: f.target })), ...pausedStacks(ctx)],
    suspendTeardown: false,
    teardownOnly: true,
    allowMassDeletion: ctx.allowMassDeletion,
    declared: declaredNames(snap),
    observe: { detailApplications: () => false, ...(paceReads ? { paceReads } : {}) },
  });
}

function pausedStacks(ctx: LoopContext): { name: string; target: null }[] {
  return (ctx.pausedStacks?.() ?? []).map((name) => ({ name, target: null }));
}

/** A refused sweep marks every stack it would have torn down as stalled, with the guard's message. */
async function recordRefusal(ctx: LoopContext, plan: Plan): Promise<void> {
  const message = plan.errors.map(formatStackError).join("; ");
  ctx.logger.error({ target: plan.target, error: message }, "teardown refused");
  const now = new Date(ctx.timers.now());
  for (const s of plan.stacks.filter((x) => x.mode === "teardown")) {
    await ctx.status.update(s.stack, plan.target, (st) => ({ ...st, conditions: markStalled(st.conditions, "DeletionRefused", message, now), lastError: message }));
  }
}

/** Statuses of stacks that are neither declared nor found on the server are dropped: nothing is left to report. */
async function forgetRemoved(ctx: LoopContext, snap: Snapshot, target: string, plan: Plan): Promise<void> {
  const declared = declaredNames(snap);
  const onServer = new Set(plan.stacks.map((s) => s.stack));
  for (const status of ctx.status.list()) {
    const paused = ctx.runtimeSuspension?.(status.name) !== undefined;
    if (status.target === target && !declared.has(status.name) && !onServer.has(status.name) && !paused) await ctx.status.remove(status.name);
  }
}

