/**
 * apply's progress lines, rendered from ApplyEvents: one line when each change starts (`+ stack/shop app/web:
 * creating…`) and ends (`+ stack/shop app/web: created (1.2s)`), a still-running line every 10 s for a long one
 * (`… stack/shop app/web: still creating (40s elapsed)`), deployment progress while deployments are waited for, and
 * each stack's outcome. The same lines on a terminal and in CI (nothing is redrawn), so logs read the same.
 */
import type { ApplyEvent, StackResult } from "../controller/apply.ts";
import type { Change, ChangeAction } from "../controller/plan/types.ts";
import { SIGNS } from "../controller/render/document.ts";

const DOING: Record<ChangeAction, string> = { create: "creating", update: "updating", delete: "deleting", deploy: "deploying", adopt: "adopting" };
// A deploy change only starts the deployment: how it ended is the deploy-done line (when apply waits for it).
const DONE: Record<ChangeAction, string> = { create: "created", update: "updated", delete: "deleted", deploy: "deployment started", adopt: "adopted" };

/** What the progress printer needs; the clock and timer are injectable for tests. */
export interface ProgressOptions {
  write: (line: string) => void;
  /** Only failures (the summary and errors are printed by the caller). */
  quiet?: boolean;
  /** How often a still-running line is printed (default 10 s). */
  stillRunningEveryMs?: number;
  now?: () => number;
  setInterval?: (fn: () => void, ms: number) => { unref?: () => void };
  clearInterval?: (handle: unknown) => void;
}

/** A progress printer: feed it events with `onEvent`, and `close` it when the apply returns. */
export interface Progress {
  onEvent: (event: ApplyEvent) => void;
  close: () => void;
}

/** formatElapsed prints a duration for people: `0.4s`, `12.3s`, `2m05s`. */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** createProgress returns a printer of ApplyEvents as lines; its still-running timer starts on the first event. */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const every = options.stillRunningEveryMs ?? 10_000;
  const running = new Map<string, { change: Change; since: number; told: number }>();
  const deploying = new Map<string, { status: string; told: number }>();
  let timer: unknown;
  const tick = () => {
    const t = now();
    for (const [subject, r] of running) {
      if (t - r.told < every) continue;
      r.told = t;
      options.write(`… ${subject}: still ${DOING[r.change.action]} (${Math.round((t - r.since) / 1000)}s elapsed)\n`);
    }
  };
  const start = () => {
    if (timer !== undefined || options.quiet) return;
    const handle = (options.setInterval ?? setInterval)(tick, Math.min(every, 1000));
    handle.unref?.();
    timer = handle;
  };
  const onEvent = (event: ApplyEvent) => {
    start();
    const line = options.quiet ? quietLine(event) : lineFor(event, running, deploying, now(), every);
    if (line) options.write(line);
  };
  return { onEvent, close: () => timer !== undefined && (options.clearInterval ?? clearInterval)(timer as never) };
}

function lineFor(event: ApplyEvent, running: Map<string, { change: Change; since: number; told: number }>, deploying: Map<string, { status: string; told: number }>, t: number, every: number): string {
  switch (event.type) {
    case "stack-start":
      return `stack/${event.stack}: applying ${event.changes} change(s)…\n`;
    case "stack-done":
      return stackLine(event.result);
    case "change-start":
      running.set(event.change.subject, { change: event.change, since: t, told: t });
      return `${SIGNS[event.change.action]} ${event.change.subject}: ${DOING[event.change.action]}…\n`;
    case "change-done": {
      running.delete(event.change.subject);
      const { action, subject } = event.change;
      const took = formatElapsed(event.elapsedMs);
      if (event.error) return `✗ ${subject}: ${action} failed (${took}): ${event.error.message}\n`;
      return `${SIGNS[action]} ${subject}: ${DONE[action]} (${took})\n`;
    }
    case "deploy-progress": {
      // A deployment's status is printed when it changes, and at most every `every` ms while it stays the same.
      const last = deploying.get(event.subject);
      if (last && last.status === event.status && t - last.told < every) return "";
      deploying.set(event.subject, { status: event.status, told: t });
      return `» ${event.subject}: ${event.status}… ${formatElapsed(event.elapsedMs)}\n`;
    }
    case "deploy-done":
      deploying.delete(event.subject);
      return `» ${event.subject}: deployment ${event.outcome} (${formatElapsed(event.elapsedMs)})${event.message ? `: ${event.message}` : ""}\n`;
  }
}

function quietLine(event: ApplyEvent): string {
  if (event.type === "stack-done" && event.result.status === "failed") return stackLine(event.result);
  if (event.type === "deploy-done" && event.outcome !== "succeeded") return `» ${event.subject}: deployment ${event.outcome}${event.message ? `: ${event.message}` : ""}\n`;
  return "";
}

/** stackLine is a stack's outcome: applied or torn down with its counts, or failed with its errors. */
export function stackLine(r: StackResult): string {
  if (r.status === "failed") return `stack/${r.stack}: failed: ${r.errors.map((e) => `${e.subject}: ${e.message}`).join("; ")}\n`;
  const deployed = r.deployed.length > 0 ? `, deployed ${r.deployed.length}` : "";
  const adopted = r.adopted > 0 ? `, ${r.adopted} adopted` : "";
  return `stack/${r.stack}: ${r.mode === "teardown" ? "torn down" : "applied"} (${r.created} created, ${r.updated} updated${adopted}, ${r.deleted} deleted${deployed})\n`;
}
