/**
 * One stack's reconcile: the work handler the queue runs for a stack key. It re-reads the stack's project on its
 * target, plans with the same plan() as `diff` and `apply`, applies, and records conditions, revisions, the plan's
 * summary and the inventory in the status store — in a `finally`, so a failure is always reported. A failure
 * rejects, and the queue retries with backoff; success asks for the next drift check. Deployments are waited for:
 * Ready only once they finished and the applications run; failed ones are retried a bounded number of times
 * (loop/deployments.ts), then the stack is Stalled until its input changes.
 */
import type { Logger } from "pino";
import { applyPlan } from "../apply.ts";
import { formatStackError } from "../errors.ts";
import { reconcileLogger } from "../log.ts";
import { countChanges, hasChanges } from "../plan/types.ts";
import type { Plan } from "../plan/types.ts";
import type { ApplyEvent } from "../apply.ts";
import type { DeploymentReport } from "../deploy/wait.ts";
import { seconds } from "../deploy/wait.ts";
import { countFailure, DeploymentFailure, failedAttempts, forgetFailures, mergeDeployments, retryDelayMs, settingsOf, stalledMessage, waitPolicyOf } from "./deployments.ts";
import type { WorkResult } from "./queue.ts";
import { markFailed, markReady, markReconciling, markStalled, setCondition } from "./conditions.ts";
import type { LoopContext } from "./context.ts";
import { nextDriftCheck, ReconcileFailure } from "./context.ts";
import { planOnTarget } from "./observe-target.ts";
import { stableFraction } from "./schedule.ts";
import { stackObserveScope } from "./stack-scope.ts";
import { declaredNames, dependentsOf } from "./snapshot.ts";
import type { FailedStack, Snapshot, SnapshotStack } from "./snapshot.ts";
import type { StackStatus } from "./status.ts";

/** How long a stack waits before checking its dependencies again. */
const DEPENDENCY_RETRY_MS = 5_000;

/** reconcileStack handles the key of one stack; see the file comment. */
export async function reconcileStack(ctx: LoopContext, name: string): Promise<WorkResult> {
  const snap = ctx.snapshot();
  if (!snap) return {};
  const failed = snap.failed.get(name);
  if (failed) return stall(ctx, snap, failed);
  const entry = snap.stacks.get(name);
  if (!entry) return {}; // removed: the target's sweep tears it down
  if (entry.suspend) return suspended(ctx, snap, entry, "spec.suspend is true: the controller leaves this stack alone");
  const paused = ctx.runtimeSuspension?.(name);
  if (paused) return suspended(ctx, snap, entry, `suspended through the API since ${paused.since} (stackctl resume ${name} resumes it)`);
  const waiting = entry.dependsOn.filter((dep) => !dependencyReady(ctx, snap, dep));
  if (waiting.length > 0) return waitFor(ctx, snap, entry, waiting);
  return sync(ctx, snap, entry);
}

async function sync(ctx: LoopContext, snap: Snapshot, entry: SnapshotStack): Promise<WorkResult> {
  const { name, target } = entry.desired;
  // Stalled by failed deployments of this very input: nothing is tried again until the digest changes.
  if (failedAttempts(ctx, name, entry.digest) >= settingsOf(ctx).maxAttempts) return {};
  const log = reconcileLogger(ctx.logger, { stack: name, revision: snap.revision });
  const started = ctx.timers.now();
  // Reconciling is recorded only when there is something to apply: a no-op drift check writes the status once.
  const markApplying = () =>
    update(ctx, entry, (s) => ({
      ...s,
      conditions: markReconciling(s.conditions, `applying revision ${short(snap.revision)}`, new Date(ctx.timers.now())),
      lastAttemptedRevision: snap.revision,
    })).then(() => undefined);
  try {
    const { plan, reports } = await ctx.locks.withProject(target, entry.desired.project, () => planAndApply(ctx, entry, log, markApplying));
    ctx.applied.set(name, entry.digest);
    forgetFailures(ctx, name);
    await update(ctx, entry, (s) => ({
      ...s,
      conditions: markReady(s.conditions, `applied revision ${short(snap.revision)}${readyNote(reports)}`, new Date(ctx.timers.now())),
      ...(reports.length > 0 ? { deployments: mergeDeployments(s.deployments, reports) } : {}),
      lastAttemptedRevision: snap.revision,
      lastAppliedRevision: snap.revision,
      lastPlan: countChanges(plan),
      lastError: null,
      inventory: inventoryOf(entry),
      lastReconcileAt: new Date(ctx.timers.now()).toISOString(),
    }));
    ctx.metrics.reconciled(name, "success", (ctx.timers.now() - started) / 1000);
    for (const dependent of dependentsOf(snap, name)) ctx.enqueue(dependent);
    return { requeueAfterMs: nextDriftCheck(stableFraction(name), ctx.driftIntervalMs, ctx.timers.now()) };
  } catch (err) {
    // A wait cut short by shutdown is no failed attempt: the next start waits again.
    if (err instanceof DeploymentFailure && ctx.signal.aborted) return {};
    if (err instanceof DeploymentFailure) return deploymentFailed(ctx, snap, entry, err, started);
    // Stopped by shutdown before it could write: the status keeps what the last real attempt found.
    if (ctx.signal.aborted && err instanceof Error && err.message.includes("[apply.aborted]")) throw err;
    const reason = err instanceof ReconcileFailure ? err.reason : "ReconciliationFailed";
    const message = err instanceof Error ? err.message : String(err);
    log.error({ reason, error: message }, "reconcile failed");
    await update(ctx, entry, (s) => ({
      ...s,
      conditions: markFailed(s.conditions, reason, message, new Date(ctx.timers.now())),
      lastAttemptedRevision: snap.revision,
      lastError: message,
      lastReconcileAt: new Date(ctx.timers.now()).toISOString(),
    }));
    ctx.metrics.reconciled(name, "failure", (ctx.timers.now() - started) / 1000);
    throw err;
  }
}

/**
 * A deployment failed or timed out: Ready=False with DeploymentFailed or HealthCheckFailed and the log tail, retried
 * after a backoff; once the allowed attempts of this digest failed, Stalled and left alone (no requeue).
 */
async function deploymentFailed(ctx: LoopContext, snap: Snapshot, entry: SnapshotStack, err: DeploymentFailure, started: number): Promise<WorkResult> {
  const { name } = entry.desired;
  const failed = countFailure(ctx, name, entry.digest);
  const stalled = failed >= settingsOf(ctx).maxAttempts;
  const delay = retryDelayMs(ctx, failed);
  const now = new Date(ctx.timers.now());
  ctx.logger.error({ stack: name, revision: snap.revision, reason: err.reason, attempt: failed, stalled, error: err.message }, stalled ? "deployment failed: stalled" : "deployment failed: will retry");
  await update(ctx, entry, (s) => ({
    ...s,
    conditions: stalled
      ? markStalled(s.conditions, err.reason, stalledMessage(ctx, err.message), now)
      : markFailed(s.conditions, err.reason, `${err.message}\nattempt ${failed} of ${settingsOf(ctx).maxAttempts}; retrying in ${seconds(delay)}`, now),
    lastAttemptedRevision: snap.revision,
    lastError: err.message,
    deployments: mergeDeployments(s.deployments, err.reports),
    lastReconcileAt: now.toISOString(),
  }));
  ctx.metrics.reconciled(name, stalled ? "stalled" : "failure", (ctx.timers.now() - started) / 1000);
  return stalled ? {} : { requeueAfterMs: delay };
}

/** What Ready=True adds when a platform could not tell whether an application runs. */
function readyNote(reports: readonly DeploymentReport[]): string {
  const unknown = reports.filter((r) => r.outcome === "unknown").map((r) => `app/${r.app}`);
  return unknown.length > 0 ? `; deployed, running state unknown for ${unknown.join(", ")}` : "";
}

/** While deployments are waited for: Reconciling=True (Progressing) naming the application and its phase. */
function progressUpdater(ctx: LoopContext, entry: SnapshotStack): (event: ApplyEvent) => void {
  return (event) => {
    if (event.type !== "deploy-progress") return;
    const message = `deploying app/${event.app}: ${event.status} (${seconds(event.elapsedMs)})`;
    void update(ctx, entry, (s) => ({ ...s, conditions: markReconciling(s.conditions, message, new Date(ctx.timers.now())) })).catch(() => undefined);
  };
}

/** Observes the stack's project, plans, applies and waits; returns the plan and how its deployments ended. Throws ReconcileFailure. */
async function planAndApply(ctx: LoopContext, entry: SnapshotStack, log: Logger, markApplying: () => Promise<void>): Promise<{ plan: Plan; reports: DeploymentReport[] }> {
  const { name, target } = entry.desired;
  const moved = previousProject(ctx, entry);
  const snap = ctx.snapshot();
  const plan = await planOnTarget(ctx, target, {
    desired: [entry.desired],
    failedStacks: [],
    suspendTeardown: true,
    allowMassDeletion: ctx.allowMassDeletion,
    // The snapshot holds the whole source: what a stack renamed from left behind is handed over (no unattributed errors).
    ...(snap && snap.unattributed.length === 0 ? { declared: declaredNames(snap) } : {}),
    observe: stackObserveScope(entry.desired, moved),
    extraProjectNames: moved,
  });
  const planErrors = [...plan.errors, ...plan.stacks.flatMap((s) => s.errors)];
  if (planErrors.length > 0) throw new ReconcileFailure("PlanFailed", planErrors.map(formatStackError).join("; "));
  if (!hasChanges(plan)) {
    log.debug("in sync");
    return { plan, reports: [] };
  }
  const drift = ctx.applied.get(name) === entry.digest;
  log.info({ changes: countChanges(plan), drift }, drift ? "correcting drift" : "applying");
  await markApplying();
  const progress = progressUpdater(ctx, entry);
  const onEvent = (event: ApplyEvent) => {
    progress(event);
    ctx.onApplyEvent?.(event);
  };
  const applied = await applyPlan(plan, ctx.targets.get(target)!.provider, { signal: ctx.signal, wait: waitPolicyOf(ctx), onEvent });
  const stackResult = applied.stacks.find((s) => s.stack === name);
  const errors = [...applied.errors, ...(stackResult?.errors ?? [])];
  const reports = stackResult?.deployments ?? [];
  for (const r of reports) ctx.metrics.deployed(r.outcome, r.elapsedMs / 1000);
  if (errors.length > 0 || stackResult?.status === "failed") {
    // Only deployments failed (every write went through): the bounded deployment retries apply, not the queue's.
    if (errors.length > 0 && errors.every((e) => e.code.startsWith("deploy."))) throw new DeploymentFailure(reports);
    throw new ReconcileFailure("ReconciliationFailed", errors.map(formatStackError).join("; ") || "apply failed");
  }
  log.info({ created: stackResult?.created, updated: stackResult?.updated, deleted: stackResult?.deleted, deployed: stackResult?.deployed.length }, "applied");
  return { plan, reports };
}

async function stall(ctx: LoopContext, snap: Snapshot, failed: FailedStack): Promise<WorkResult> {
  ctx.logger.warn({ stack: failed.name, revision: snap.revision, reason: failed.reason, error: failed.message }, "stack stalled: left untouched");
  const now = new Date(ctx.timers.now());
  await ctx.status.update(failed.name, failed.target ?? "", (s) => ({
    ...s,
    conditions: markStalled(s.conditions, failed.reason, failed.message, now),
    lastAttemptedRevision: snap.revision,
    lastError: failed.message,
    lastReconcileAt: now.toISOString(),
  }));
  ctx.metrics.reconciled(failed.name, "stalled", 0);
  return {};
}

async function suspended(ctx: LoopContext, snap: Snapshot, entry: SnapshotStack, message: string): Promise<WorkResult> {
  await update(ctx, entry, (s) => ({
    ...s,
    conditions: setCondition(s.conditions.filter((c) => c.type === "Ready"), { type: "Ready", status: "Unknown", reason: "Suspended", message }, new Date(ctx.timers.now())),
    lastAttemptedRevision: snap.revision,
  }));
  ctx.metrics.reconciled(entry.desired.name, "skipped", 0);
  return {};
}

async function waitFor(ctx: LoopContext, snap: Snapshot, entry: SnapshotStack, waiting: string[]): Promise<WorkResult> {
  const message = `waiting for ${waiting.map((d) => `stack/${d}`).join(", ")} to be ready`;
  await update(ctx, entry, (s) => ({
    ...s,
    conditions: markFailed(s.conditions, "DependencyNotReady", message, new Date(ctx.timers.now())),
    lastAttemptedRevision: snap.revision,
  }));
  ctx.metrics.reconciled(entry.desired.name, "skipped", 0);
  return { requeueAfterMs: DEPENDENCY_RETRY_MS };
}

/** A dependency is ready when it was applied with its current manifest, or is suspended (deliberately frozen). */
function dependencyReady(ctx: LoopContext, snap: Snapshot, dep: string): boolean {
  const entry = snap.stacks.get(dep);
  if (!entry) return false;
  return entry.suspend || ctx.applied.get(dep) === entry.digest;
}

function update(ctx: LoopContext, entry: SnapshotStack, fn: (s: StackStatus) => StackStatus): Promise<StackStatus> {
  return ctx.status.update(entry.desired.name, entry.desired.target, (s) => fn({ ...s, target: entry.desired.target }));
}

/**
 * The project the stack was last applied to, when it is another one now: read too, so its leftovers are pruned.
 * Otherwise nothing of the stack can be outside its project, and the provider may read that project alone by a
 * remembered id (`knownProjectsOnly`).
 */
function previousProject(ctx: LoopContext, entry: SnapshotStack): string[] {
  const place = ctx.status.get(entry.desired.name)?.inventory[0];
  const project = place?.startsWith("project/") ? place.slice("project/".length).split(" ")[0]! : null;
  return project && project !== entry.desired.project ? [project] : [];
}

function placeOf(entry: SnapshotStack): string {
  return `project/${entry.desired.project} environment/${entry.desired.environment}`;
}

/** What the stack owns once applied, as subjects; the first is always its place (see previousProject). */
function inventoryOf(entry: SnapshotStack): string[] {
  const d = entry.desired;
  return [
    placeOf(entry),
    ...d.applications.flatMap((a) => [`app/${a.name}`, ...a.domains.map((dom) => `app/${a.name} domain/${dom.host}${dom.path === "/" ? "" : dom.path}`)]),
  ];
}

function short(revision: string): string {
  return revision.startsWith("sha256:") ? revision.slice(0, 19) : revision.slice(0, 12);
}
