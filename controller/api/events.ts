/**
 * The recent history of each stack (`stackctl events`): one event per reconcile with its outcome and duration, and
 * the last deployments, kept in memory and bounded per stack so that 10,000 stacks cost a known amount.
 */
import type { PlanSummary } from "../loop/status.ts";

/** How a reconcile ended, from the stack's conditions afterwards. */
export type EventOutcome = "succeeded" | "failed" | "stalled" | "skipped";

/** One reconcile of one stack. */
export interface StackEvent {
  stack: string;
  /** ISO 8601 time the reconcile started (a reconcile asked for at T is answered by the first event starting after T). */
  startedAt: string;
  /** ISO 8601 time the reconcile finished. */
  at: string;
  durationMs: number;
  outcome: EventOutcome;
  reason: string;
  message: string;
  revision: string | null;
  /** The plan's counts when it was applied (or found nothing to do). */
  plan: PlanSummary | null;
}

/** One deployment started by a reconcile, and how it ended when that is known. */
export interface DeploymentRecord {
  subject: string;
  at: string;
  outcome: "started" | "succeeded" | "failed" | "timeout" | "unknown";
  message?: string;
}

/** Events kept per stack, and deployments per stack. */
export const EVENTS_PER_STACK = 20;
export const DEPLOYMENTS_PER_STACK = 10;

/** The history of every stack. */
export interface EventLog {
  record(event: StackEvent): void;
  deployment(stack: string, record: DeploymentRecord): void;
  /** Newest first. */
  of(stack: string): StackEvent[];
  /** Every stack's events, newest first, at most `limit`. */
  all(limit: number): StackEvent[];
  /** Newest first. */
  deployments(stack: string): DeploymentRecord[];
  forget(stack: string): void;
}

/** createEventLog returns an empty bounded history. */
export function createEventLog(): EventLog {
  const events = new Map<string, StackEvent[]>();
  const deploys = new Map<string, DeploymentRecord[]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T, max: number) => {
    const list = map.get(key) ?? [];
    list.unshift(value);
    if (list.length > max) list.length = max;
    map.set(key, list);
  };
  return {
    record: (e) => push(events, e.stack, e, EVENTS_PER_STACK),
    deployment(stack, record) {
      const list = deploys.get(stack) ?? [];
      // A deployment's outcome replaces its "started" entry rather than adding a second line.
      const open = list.find((d) => d.subject === record.subject && d.outcome === "started");
      if (open && record.outcome !== "started") Object.assign(open, record);
      else push(deploys, stack, record, DEPLOYMENTS_PER_STACK);
    },
    of: (stack) => [...(events.get(stack) ?? [])],
    all: (limit) => [...events.values()].flat().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit),
    deployments: (stack) => [...(deploys.get(stack) ?? [])],
    forget(stack) {
      events.delete(stack);
      deploys.delete(stack);
    },
  };
}
