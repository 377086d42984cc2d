/**
 * What the controller's work handlers (a stack's reconcile, a target's teardown sweep) share: the current
 * snapshot, the targets, the status store, locks, metrics, the logger and the clock. Built once by the controller.
 */
import type { Logger } from "pino";
import type { ApplyEvent } from "../apply.ts";
import type { TargetRuntime } from "../engine.ts";
import type { StackError } from "../errors.ts";
import type { Scrubber } from "../scrub.ts";
import type { ControllerMetrics } from "../server/controller-metrics.ts";
import type { TargetLocks } from "./locks.ts";
import type { Snapshot } from "./snapshot.ts";
import type { StatusStore } from "./status.ts";
import type { Timers } from "./timers.ts";

/** The shared state and services of the handlers. */
export interface LoopContext {
  instance: string;
  targets: ReadonlyMap<string, TargetRuntime>;
  /** The snapshot in force (the last good revision), or null before the first one. */
  snapshot(): Snapshot | null;
  status: StatusStore;
  locks: TargetLocks;
  metrics: ControllerMetrics;
  logger: Logger;
  /** Every string a handler sends out (log tails, comments, statuses) passes through it; status and logs already do. */
  scrub: Scrubber;
  timers: Timers;
  random: () => number;
  driftIntervalMs: number;
  allowMassDeletion: boolean;
  /** Aborted on shutdown: applies start no further change. */
  signal: AbortSignal;
  /** The digest each stack was last applied with, so dependents know their dependency is current. */
  applied: Map<string, string>;
  /** Re-queues a key at once (dependents of a stack that became ready, a sweep after a removal). */
  enqueue(key: string): void;
  /** The stack's pause made through the API (`stackctl suspend`), if any: left alone like spec.suspend. */
  runtimeSuspension?(name: string): { since: string } | undefined;
  /** Every stack paused through the API: never torn down while paused, even when its manifest is gone. */
  pausedStacks?(): string[];
  /** Hears the applier's events of the stacks' reconciles (the API's last deployments). */
  onApplyEvent?(event: ApplyEvent): void;
  /** Records whether a target answered its last read; readiness reports a target that does not. */
  targetContact(target: string, error: StackError | null): void;
}

/** The queue key of a target's teardown sweep; stack names are RFC 1123 labels, so they never contain `:`. */
export function sweepKey(target: string): string {
  return `sweep:${target}`;
}

/** targetOfSweepKey returns the target of a sweep key, or null for a stack key. */
export function targetOfSweepKey(key: string): string | null {
  return key.startsWith("sweep:") ? key.slice("sweep:".length) : null;
}

/** A reconcile that failed; the queue retries it with backoff. `reason` becomes the Ready condition's reason. */
export class ReconcileFailure extends Error {
  readonly reason: string;

  constructor(reason: string, message: string) {
    super(message);
    this.name = "ReconcileFailure";
    this.reason = reason;
  }
}

/** reasonForTargetError maps a provider error code to a condition reason. */
export function reasonForTargetError(code: string): string {
  return code === "http.unauthorized" || code === "http.forbidden" ? "AuthenticationFailed" : "TargetUnavailable";
}

/**
 * nextDriftCheck is the delay until a stack's next drift slot. Slots repeat every interval at an offset stable per
 * stack, so checks stay spread over the interval whatever made each stack run last; a slot closer than a quarter
 * interval is skipped, so a stack just reconciled is not checked again at once.
 */
export function nextDriftCheck(offsetFraction: number, intervalMs: number, nowMs: number): number {
  const offset = offsetFraction * intervalMs;
  const since = (((nowMs - offset) % intervalMs) + intervalMs) % intervalMs;
  const delay = Math.max(1, Math.round(intervalMs - since));
  return delay < intervalMs / 4 ? delay + intervalMs : delay;
}
