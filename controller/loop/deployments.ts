/**
 * What the controller does about deployments: it waits for them like `apply` does (controller/deploy/wait.ts), keeps
 * each application's last deployment in the stack's status, and bounds retries. A manifest digest (manifest and
 * resolved secrets) whose deployment failed is retried with backoff (30 s, 60 s, …) until `maxAttempts` deployments of
 * it failed in a row; the stack is then Stalled and left alone until its digest changes — no redeploy loop hammers a
 * server with a build that cannot succeed. Attempts are counted in memory: a restarted controller tries again.
 */
import type { DeploymentReport, WaitPolicy } from "../deploy/wait.ts";
import type { DeploymentRecord } from "../deploy/types.ts";
import type { LoopContext } from "./context.ts";
import { ReconcileFailure } from "./context.ts";

/** How the controller waits for deployments and retries failed ones. Durations in milliseconds. */
export interface DeploySettings {
  /** How long one reconcile waits for its deployments (default 10 min). */
  timeoutMs: number;
  /** First poll delay (default 1 s); polls slow down to ten times that, at most 10 s. */
  pollMs: number;
  /** Failed deployments of one digest before the stack is Stalled (default 3: the first try and two retries). */
  maxAttempts: number;
  /** Delay before the first retry (default 30 s); doubled per failure, at most `retryMaxMs` (default 10 min). */
  retryBaseMs: number;
  retryMaxMs: number;
}

/** The defaults of DeploySettings. */
export const DEFAULT_DEPLOY_SETTINGS: DeploySettings = { timeoutMs: 600_000, pollMs: 1000, maxAttempts: 3, retryBaseMs: 30_000, retryMaxMs: 600_000 };

/** A reconcile whose deployments failed or timed out; `reason` is DeploymentFailed or HealthCheckFailed. */
export class DeploymentFailure extends ReconcileFailure {
  readonly reports: DeploymentReport[];

  constructor(reports: DeploymentReport[]) {
    const failed = reports.filter((r) => r.outcome === "failed" || r.outcome === "timeout");
    super(failed.some((r) => r.reason === "HealthCheckFailed") && failed.every((r) => r.reason === "HealthCheckFailed") ? "HealthCheckFailed" : "DeploymentFailed", failureMessage(failed));
    this.name = "DeploymentFailure";
    this.reports = reports;
  }
}

/** The condition message of failed deployments: one line per application, then the end of its log. */
function failureMessage(failed: readonly DeploymentReport[]): string {
  return failed.map((r) => {
    const tail = r.record.logTail.filter((l) => l.trim() !== "").slice(-10);
    return `app/${r.app}: ${r.message}${tail.length > 0 ? `\n${tail.map((l) => `  | ${l}`).join("\n")}` : ""}`;
  }).join("\n");
}

/** settingsOf returns the context's deploy settings, or the defaults. */
export function settingsOf(ctx: LoopContext): DeploySettings {
  return ctx.deploy ?? DEFAULT_DEPLOY_SETTINGS;
}

/** waitPolicyOf is one reconcile's wait: its own deadline, the process's scrubber, stopped on shutdown. */
export function waitPolicyOf(ctx: LoopContext): WaitPolicy {
  const s = settingsOf(ctx);
  return {
    deadline: ctx.timers.now() + s.timeoutMs,
    initialPollMs: s.pollMs,
    maxPollMs: Math.min(10_000, s.pollMs * 10),
    scrub: (t) => ctx.scrub.text(t),
    now: () => ctx.timers.now(),
    signal: ctx.signal,
  };
}

const attempts = new WeakMap<LoopContext, Map<string, { digest: string; failed: number }>>();

function attemptsOf(ctx: LoopContext): Map<string, { digest: string; failed: number }> {
  let map = attempts.get(ctx);
  if (!map) attempts.set(ctx, (map = new Map()));
  return map;
}

/** failedAttempts is how many deployments of the stack's current digest failed in a row (0 after another digest). */
export function failedAttempts(ctx: LoopContext, stack: string, digest: string): number {
  const a = attemptsOf(ctx).get(stack);
  return a && a.digest === digest ? a.failed : 0;
}

/** countFailure records one more failed attempt of `digest`; returns the count. */
export function countFailure(ctx: LoopContext, stack: string, digest: string): number {
  const failed = failedAttempts(ctx, stack, digest) + 1;
  attemptsOf(ctx).set(stack, { digest, failed });
  return failed;
}

/** forgetFailures resets the count after a successful reconcile. */
export function forgetFailures(ctx: LoopContext, stack: string): void {
  attemptsOf(ctx).delete(stack);
}

/** retryDelayMs is the delay before retry number `failed` (30 s, 60 s, 120 s … capped). */
export function retryDelayMs(ctx: LoopContext, failed: number): number {
  const s = settingsOf(ctx);
  return Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** Math.max(0, failed - 1));
}

/** mergeDeployments keeps the last deployment of each application: new reports replace older ones by app, sorted by app. */
export function mergeDeployments(previous: readonly DeploymentRecord[] | undefined, reports: readonly DeploymentReport[]): DeploymentRecord[] {
  const byApp = new Map((previous ?? []).map((r) => [r.app, r]));
  for (const r of reports) byApp.set(r.app, r.record);
  return [...byApp.values()].sort((a, b) => (a.app < b.app ? -1 : a.app > b.app ? 1 : 0));
}

/** stalledMessage is the Stalled condition's message after the last allowed attempt failed. */
export function stalledMessage(ctx: LoopContext, message: string): string {
  return `${message}\ngave up after ${settingsOf(ctx).maxAttempts} failed deployments of this revision; nothing is deployed again until the manifest, a secret or the image changes`;
}
