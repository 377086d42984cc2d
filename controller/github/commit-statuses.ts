/**
 * Commit statuses from the controller: when a revision of a GitHub repository comes into force, each target gets a
 * status `stackctl/<target>` on that commit — pending while its stacks apply and deploy, then success or failure
 * (the first failing stack and its error) once they finished, as the stacks' status tells (revision-outcome.ts).
 * A status is posted only when the state changes, and a failure turns only into success (a retry that keeps failing
 * posts nothing more), so a commit gets a handful of statuses, far under GitHub's 1,000 per commit and context.
 * Everything posted passes through the scrubber; delivery is in the background (status-poster.ts).
 */
import type { StackStatus } from "../loop/status.ts";
import type { CommitState, StackOutcome } from "./revision-outcome.ts";
import { aggregate, stackOutcome } from "./revision-outcome.ts";
import type { CommitStatus } from "./status-poster.ts";

/** A revision the loop put in force, and the stacks it concerns. */
export interface RevisionInForce {
  revision: string;
  /** Stacks the revision added, changed, broke (target null: unknown, so every target) or removed. */
  stacks: readonly { name: string; target: string | null; removed: boolean }[];
  /** Manifest errors that name no stack (a file that does not parse): the revision fails on every target. */
  unattributed: readonly string[];
}

/** What the controller tells an observer of its revisions; every method returns at once. */
export interface RevisionObserver {
  revisionInForce(rev: RevisionInForce, status: (name: string) => StackStatus | undefined): void;
  statusChanged(name: string, status: StackStatus | undefined): void;
  stop(): void;
}

/** What the reporter needs. */
export interface CommitStatusReporterOptions {
  targets: readonly string[];
  /** The controller's public URL: statuses link to its status API. */
  publicUrl?: string;
  post(status: CommitStatus): void;
  scrub(text: string): string;
  /** Revisions followed at once; older unfinished ones are dropped. Default 10. */
  maxOpenRevisions?: number;
}

/** Never more than this many statuses per commit and context (GitHub allows 1,000). */
export const MAX_STATUSES_PER_CONTEXT = 50;

const MANIFESTS = "#manifests";

interface TargetTrack {
  outcomes: Map<string, StackOutcome>;
  removed: Set<string>;
  pending: number;
  failed: Set<string>;
  posted: CommitState | null;
  posts: number;
}

interface Tracked {
  revision: string;
  seq: number;
  targets: Map<string, TargetTrack>;
}

/** createCommitStatusReporter returns the observer that turns revisions and stack statuses into commit statuses. */
export function createCommitStatusReporter(opts: CommitStatusReporterOptions): RevisionObserver {
  const order = new Map<string, number>();
  const open: Tracked[] = [];
  const byStack = new Map<string, Set<Tracked>>();
  const maxOpen = opts.maxOpenRevisions ?? 10;
  let stopped = false;

  const isCurrent = (t: Tracked) => (revision: string | null) => revision !== null && (order.get(revision) ?? -1) >= t.seq;

  function update(t: Tracked, target: string, track: TargetTrack, name: string, next: StackOutcome): void {
    const prev = track.outcomes.get(name);
    if (prev?.kind === "pending") track.pending -= 1;
    if (prev?.kind === "failed") track.failed.delete(name);
    track.outcomes.set(name, next);
    if (next.kind === "pending") track.pending += 1;
    if (next.kind === "failed") track.failed.add(name);
  }

  function decide(t: Tracked, target: string, track: TargetTrack): void {
    const state: CommitState = track.failed.size > 0 ? "failure" : track.pending > 0 ? "pending" : "success";
    // A failure becomes success or stays; pending after a failure is a retry in progress, not news.
    if (state === track.posted || (track.posted === "failure" && state === "pending") || track.posts >= MAX_STATUSES_PER_CONTEXT) return;
    const summary = aggregate(track.outcomes);
    track.posted = state;
    track.posts += 1;
    const failedStack = summary.failedStack && summary.failedStack !== MANIFESTS ? summary.failedStack : null;
    const link = opts.publicUrl ? `${opts.publicUrl.replace(/\/+$/, "")}/api/v1/stacks${failedStack ? `/${failedStack}` : ""}` : undefined;
    const description = opts.scrub(summary.description.replace(`stack/${MANIFESTS}: `, "manifests: "));
    opts.post({ sha: t.revision, context: `stackctl/${target}`, state, description, ...(link ? { targetUrl: link } : {}) });
    if (state === "success") close(t, target);
  }

  function close(t: Tracked, target: string): void {
    t.targets.delete(target);
    if (t.targets.size === 0) forget(t);
  }

  function forget(t: Tracked): void {
    const i = open.indexOf(t);
    if (i >= 0) open.splice(i, 1);
    for (const [name, set] of byStack) {
      set.delete(t);
      if (set.size === 0) byStack.delete(name);
    }
  }

  return {
    revisionInForce(rev, status) {
      if (stopped || order.has(rev.revision)) return;
      const t: Tracked = { revision: rev.revision, seq: order.size, targets: new Map() };
      order.set(rev.revision, t.seq);
      for (const target of opts.targets) {
        const track: TargetTrack = { outcomes: new Map(), removed: new Set(), pending: 0, failed: new Set(), posted: null, posts: 0 };
        t.targets.set(target, track);
        for (const s of rev.stacks.filter((x) => x.target === null || x.target === target)) {
          if (s.removed) track.removed.add(s.name);
          update(t, target, track, s.name, stackOutcome(status(s.name), s.removed, isCurrent(t)));
          byStack.set(s.name, (byStack.get(s.name) ?? new Set()).add(t));
        }
        if (rev.unattributed.length > 0) update(t, target, track, MANIFESTS, { kind: "failed", message: rev.unattributed[0]! });
      }
      open.push(t);
      while (open.length > maxOpen) forget(open[0]!);
      for (const [target, track] of [...t.targets]) decide(t, target, track);
    },
    statusChanged(name, status) {
      if (stopped) return;
      for (const t of [...(byStack.get(name) ?? [])]) {
        for (const [target, track] of [...t.targets]) {
          if (!track.outcomes.has(name)) continue;
          update(t, target, track, name, stackOutcome(status, track.removed.has(name), isCurrent(t)));
          decide(t, target, track);
        }
      }
    },
    stop() {
      stopped = true;
    },
  };
}
