/**
 * Delivers commit statuses in the background, one at a time, so that GitHub never slows reconciling: `enqueue`
 * returns at once; a newer status for the same commit and context replaces one still waiting (only the latest
 * state matters); a failure (outage, 403, rate limit) is logged and counted, and the same status is retried with
 * exponential backoff, or after the wait GitHub asked for when it said.
 */
import type { Logger } from "pino";
import type { Timers, TimerHandle } from "../loop/timers.ts";

/** One commit status to set. */
export interface CommitStatus {
  sha: string;
  context: string;
  state: "pending" | "success" | "failure" | "error";
  description: string;
  targetUrl?: string;
}

/** How a failed delivery is classified (see describeGitHubError). */
export interface DeliveryFailure {
  code: string;
  retryAfterSeconds: number | null;
  message: string;
}

/** What the poster needs. */
export interface StatusPosterOptions {
  send(status: CommitStatus): Promise<void>;
  describe(err: unknown): DeliveryFailure;
  timers: Timers;
  logger: Logger;
  /** Called after every attempt: `posted`, or the failure's code. */
  onAttempt?(result: string): void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** The running poster. */
export interface StatusPoster {
  enqueue(status: CommitStatus): void;
  /** Statuses waiting (tests, metrics). */
  waiting(): number;
  /** stop cancels retries; a request in flight is left to finish. */
  stop(): void;
}

/** createStatusPoster returns an idle poster. */
export function createStatusPoster(opts: StatusPosterOptions): StatusPoster {
  const queue = new Map<string, CommitStatus>();
  const initial = opts.initialBackoffMs ?? 1_000;
  const max = opts.maxBackoffMs ?? 300_000;
  let failures = 0;
  let busy = false;
  let timer: TimerHandle | undefined;
  let stopped = false;

  async function pump(): Promise<void> {
    if (busy || stopped || timer !== undefined) return;
    const next = queue.entries().next();
    if (next.done) return;
    const [key, status] = next.value;
    busy = true;
    try {
      await opts.send(status);
      if (queue.get(key) === status) queue.delete(key);
      failures = 0;
      opts.onAttempt?.("posted");
      opts.logger.debug({ sha: status.sha, context: status.context, state: status.state }, "commit status posted");
    } catch (err) {
      const f = opts.describe(err);
      failures += 1;
      const backoff = Math.min(max, initial * 2 ** (failures - 1));
      const delay = Math.max(backoff, (f.retryAfterSeconds ?? 0) * 1000);
      opts.onAttempt?.(f.code);
      opts.logger.warn({ sha: status.sha, context: status.context, state: status.state, code: f.code, error: f.message, retryInMs: delay }, "commit status not posted: will retry");
      if (!stopped) {
        timer = opts.timers.setTimeout(() => {
          timer = undefined;
          void pump();
        }, delay);
      }
    } finally {
      busy = false;
    }
    void pump();
  }

  return {
    enqueue(status) {
      if (stopped) return;
      queue.set(`${status.sha} ${status.context}`, status);
      void pump();
    },
    waiting: () => queue.size,
    stop() {
      stopped = true;
      if (timer !== undefined) opts.timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}
