/**
 * The controller's management state wired together: runtime suspensions, the per-stack history, and the API
 * handler over them. The controller builds one (startController) and hands its pieces to the loop: `recordRun`
 * wraps each stack's reconcile to keep its event, `onApplyEvent` hears the deployments, `decorate` adds the
 * runtime suspension to the status the API serves.
 */
import type { ApplyEvent } from "../apply.ts";
import { getCondition } from "../loop/conditions.ts";
import type { StackStatus } from "../loop/status.ts";
import type { EventLog, EventOutcome } from "./events.ts";
import { createEventLog } from "./events.ts";
import type { ApiResponse } from "./routes.ts";
import { handleApi } from "./routes.ts";
import type { Suspension, SuspensionStore } from "./suspensions.ts";
import { openSuspensions } from "./suspensions.ts";

/** A stack's status as the API serves it: the stored status and, when paused through the API, since when. */
export type ServedStatus = StackStatus & { runtimeSuspended?: Suspension };

/** What the management state needs from the controller. */
export interface ManagementOptions {
  token?: string;
  /** Where runtime suspensions are kept (the controller's data directory); in memory only when absent. */
  runtimeFile?: string;
  now: () => number;
  declared(name: string): boolean;
  specSuspended(name: string): boolean;
  status(name: string): StackStatus | undefined;
  enqueue(name: string): void;
  enqueueAll(): string[];
  onProblem(message: string): void;
}

/** The management state of a running controller. */
export interface Management {
  suspensions: SuspensionStore;
  events: EventLog;
  api(method: string, path: string, authorization: string | undefined): Promise<ApiResponse | undefined>;
  /** recordRun runs one stack's reconcile and records its event (outcome from the status afterwards). */
  recordRun<T>(name: string, run: () => Promise<T>): Promise<T>;
  onApplyEvent(event: ApplyEvent): void;
  decorate(statuses: StackStatus[]): ServedStatus[];
}

/** createManagement opens the runtime state and returns the management pieces; see the file comment. */
export async function createManagement(opts: ManagementOptions): Promise<Management> {
  const suspensions = await openSuspensions(opts.runtimeFile, opts.onProblem);
  const events = createEventLog();
  const deps = { token: opts.token, declared: opts.declared, specSuspended: opts.specSuspended, enqueue: opts.enqueue, enqueueAll: opts.enqueueAll, suspensions, events, now: () => new Date(opts.now()) };
  return {
    suspensions,
    events,
    api: (method, path, authorization) => handleApi(method, path, authorization, deps),
    async recordRun(name, run) {
      const started = opts.now();
      let failure: unknown;
      try {
        return await run();
      } catch (err) {
        failure = err;
        throw err;
      } finally {
        const status = opts.status(name);
        if (status) {
          const outcome = outcomeOf(status, failure);
          const plan = outcome.outcome === "succeeded" ? status.lastPlan : null;
          events.record({ stack: name, startedAt: new Date(started).toISOString(), at: new Date(opts.now()).toISOString(), durationMs: opts.now() - started, ...outcome, revision: status.lastAttemptedRevision, plan });
        }
      }
    },
    onApplyEvent(event) {
      const at = new Date(opts.now()).toISOString();
      if (event.type === "change-done" && event.change.action === "deploy" && event.stack) {
        events.deployment(event.stack, { subject: event.change.subject, at, outcome: event.error ? "failed" : "started", ...(event.error ? { message: event.error.message } : {}) });
      }
      if (event.type === "deploy-done") events.deployment(event.stack, { subject: event.subject, at, outcome: event.outcome, ...(event.message ? { message: event.message } : {}) });
    },
    decorate: (statuses) => statuses.map((s) => {
      const paused = suspensions.get(s.name);
      return paused ? { ...s, runtimeSuspended: paused } : s;
    }),
  };
}

function outcomeOf(status: StackStatus, failure: unknown): { outcome: EventOutcome; reason: string; message: string } {
  const ready = getCondition(status.conditions, "Ready");
  const stalled = getCondition(status.conditions, "Stalled");
  if (failure !== undefined) return { outcome: "failed", reason: ready?.reason ?? "ReconciliationFailed", message: status.lastError ?? (failure instanceof Error ? failure.message : String(failure)) };
  if (stalled?.status === "True") return { outcome: "stalled", reason: stalled.reason, message: stalled.message };
  if (ready?.status === "True") return { outcome: "succeeded", reason: ready.reason, message: ready.message };
  if (ready && (ready.reason === "Suspended" || ready.reason === "DependencyNotReady")) return { outcome: "skipped", reason: ready.reason, message: ready.message };
  return { outcome: ready?.status === "False" ? "failed" : "skipped", reason: ready?.reason ?? "Unknown", message: ready?.message ?? "" };
}
