/**
 * What a revision amounts to on each target, from the stacks' status: the state a commit status should show.
 * A revision's stacks on a target are the ones it added, changed, broke or removed there. Each is pending until the
 * controller has attempted it at this revision (or a later one) and finished: Ready=True is applied (and, once
 * deployments are awaited, running), Ready=False failed (except while waiting for a dependency), a removed stack is
 * done when its status is gone (torn down) and failed when the teardown stalled. Pure: no I/O.
 */
import { getCondition, isTrue } from "../loop/conditions.ts";
import type { StackStatus } from "../loop/status.ts";

/** One stack's part in a revision. */
export type StackOutcome = { kind: "pending" } | { kind: "ok"; note?: string } | { kind: "failed"; message: string };

/** A commit status state as GitHub names it. */
export type CommitState = "pending" | "success" | "failure";

/**
 * stackOutcome classifies one stack for a revision. `attemptedIsCurrent` tells whether the status's
 * lastAttemptedRevision is this revision or a later one (the caller knows the order of revisions).
 */
export function stackOutcome(status: StackStatus | undefined, removed: boolean, attemptedIsCurrent: (revision: string | null) => boolean): StackOutcome {
  if (removed) {
    if (!status) return { kind: "ok", note: "torn down" };
    return isTrue(status.conditions, "Stalled") ? { kind: "failed", message: status.lastError ?? getCondition(status.conditions, "Stalled")!.message } : { kind: "pending" };
  }
  if (!status || !attemptedIsCurrent(status.lastAttemptedRevision) || isTrue(status.conditions, "Reconciling")) return { kind: "pending" };
  const ready = getCondition(status.conditions, "Ready");
  if (!ready) return { kind: "pending" };
  if (ready.status === "True") return { kind: "ok" };
  if (ready.status === "Unknown") return ready.reason === "Suspended" ? { kind: "ok", note: "suspended" } : { kind: "pending" };
  if (ready.reason === "DependencyNotReady") return { kind: "pending" };
  return { kind: "failed", message: status.lastError ?? ready.message };
}

/** The aggregate of a target's stacks for one revision: the state and a description of at most 140 characters. */
export interface TargetOutcome {
  state: CommitState;
  description: string;
  /** The first failing stack, for the status's link. */
  failedStack: string | null;
}

/** aggregate combines the stacks' outcomes: any failure fails, else any pending is pending, else success. */
export function aggregate(outcomes: ReadonlyMap<string, StackOutcome>): TargetOutcome {
  const all = [...outcomes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const failed = all.filter(([, o]) => o.kind === "failed");
  const pending = all.filter(([, o]) => o.kind === "pending").length;
  const total = all.length;
  if (failed.length > 0) {
    const [name, o] = failed[0]!;
    const more = failed.length > 1 ? ` (${failed.length} of ${total} stacks failed)` : "";
    return { state: "failure", description: clip(`stack/${name}: ${(o as { message: string }).message}`, more), failedStack: name };
  }
  if (pending > 0) return { state: "pending", description: clip(`applying: ${total - pending} of ${total} stack${total === 1 ? "" : "s"} done`), failedStack: null };
  if (total === 0) return { state: "success", description: "no stack changed on this target", failedStack: null };
  return { state: "success", description: clip(`${total} stack${total === 1 ? "" : "s"} applied`), failedStack: null };
}

/** GitHub rejects commit status descriptions longer than this. */
export const DESCRIPTION_LIMIT = 140;

function clip(text: string, suffix = ""): string {
  const line = text.replace(/\s+/g, " ").trim();
  const room = DESCRIPTION_LIMIT - suffix.length;
  return (line.length > room ? `${line.slice(0, room - 1)}…` : line) + suffix;
}
