/**
 * A per-key work queue with controller-runtime's semantics (style-anchors Lessons 2 and 3): keys, not events, are
 * queued; a key waiting to run is queued once however often it is enqueued; a key never runs twice at once (a key
 * enqueued while it runs is marked dirty and runs again afterwards); a bounded number of workers; per-key
 * exponential backoff with full jitter after failures, reset by success.
 */
import { systemTimers } from "./timers.ts";
import type { TimerHandle, Timers } from "./timers.ts";

/** What a successful run may ask for: a timed re-run (e.g. the next drift check). */
export interface WorkResult {
  requeueAfterMs?: number;
}

/**
 * WorkHandler processes one key. Resolving means success: backoff is reset and the key is re-queued after
 * `requeueAfterMs` when given. Rejecting means "retry": the key is re-queued after its backoff delay. A handler that
 * wants no retry (a terminal error, e.g. an invalid manifest) records it and resolves.
 */
export type WorkHandler = (key: string) => Promise<WorkResult | void>;

/** Backoff settings: delay = random() × min(maxMs, baseMs × 2^(failures−1)) ("full jitter"). */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** Options of createWorkQueue. */
export interface WorkQueueOptions {
  handler: WorkHandler;
  /** How many keys run at once; default 2. */
  workers?: number;
  /** Default `{ baseMs: 1000, maxMs: 300_000 }`. */
  backoff?: BackoffOptions;
  timers?: Timers;
  /** A number in [0, 1); default Math.random. */
  random?: () => number;
  /** Called with the error when a handler rejects; the key is already scheduled for retry after `delayMs`. */
  onError?: (key: string, err: unknown, delayMs: number) => void;
}

/** WorkQueue is the per-key queue; see createWorkQueue. */
export interface WorkQueue {
  /** enqueue asks for `key` to run now, or after `after` ms; the earliest pending request wins. Ignored once stopped. */
  enqueue(key: string, opts?: { after?: number }): void;
  /** fail counts a failure of `key` and re-queues it after the resulting backoff delay, which it returns. */
  fail(key: string): number;
  /** forget resets the failure count of `key` (called on success). */
  forget(key: string): void;
  /** failures is the current failure count of `key` (0 after success). */
  failures(key: string): number;
  /** depth is the number of keys ready to run and not yet started (the `queue depth` metric). */
  depth(): number;
  /** running is the number of keys being processed now. */
  running(): number;
  /** scheduled is the number of keys waiting for a timer (backoff or requeueAfter). */
  scheduled(): number;
  /**
   * stop stops taking work (queued and timed keys are dropped) and waits for in-flight handlers up to `timeoutMs`
   * (default 30 s); resolves true when they all finished in time.
   */
  stop(opts?: { timeoutMs?: number }): Promise<boolean>;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 300_000 };

/** backoffDelay computes one full-jitter delay for the `failures`-th consecutive failure (failures ≥ 1). */
export function backoffDelay(failures: number, backoff: BackoffOptions, random: () => number): number {
  const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 52));
  return Math.floor(random() * exp);
}

/** createWorkQueue starts a queue that runs `handler` for enqueued keys; see WorkQueue for each method's contract. */
export function createWorkQueue(opts: WorkQueueOptions): WorkQueue {
  const timers = opts.timers ?? systemTimers;
  const random = opts.random ?? Math.random;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const workers = Math.max(1, opts.workers ?? 2);
  const ready: string[] = [];
  const readySet = new Set<string>();
  const active = new Map<string, Promise<void>>();
  const dirty = new Set<string>();
  const timed = new Map<string, { due: number; handle: TimerHandle }>();
  const failCounts = new Map<string, number>();
  let stopped = false;

  function cancelTimer(key: string): void {
    const t = timed.get(key);
    if (t) timers.clearTimeout(t.handle);
    timed.delete(key);
  }

  function addNow(key: string): void {
    cancelTimer(key); // it runs now; its result schedules the next run
    if (active.has(key)) dirty.add(key);
    else if (!readySet.has(key)) {
      readySet.add(key);
      ready.push(key);
    }
    pump();
  }

  function addLater(key: string, after: number): void {
    if (readySet.has(key)) return; // already about to run
    const due = timers.now() + after;
    const existing = timed.get(key);
    if (existing && existing.due <= due) return;
    cancelTimer(key);
    const handle = timers.setTimeout(() => {
      timed.delete(key);
      if (!stopped) addNow(key);
    }, after);
    timed.set(key, { due, handle });
  }

  function enqueue(key: string, o?: { after?: number }): void {
    if (stopped) return;
    const after = o?.after ?? 0;
    if (after > 0) addLater(key, after);
    else addNow(key);
  }

  function fail(key: string): number {
    const n = (failCounts.get(key) ?? 0) + 1;
    failCounts.set(key, n);
    const delay = backoffDelay(n, backoff, random);
    enqueue(key, { after: Math.max(delay, 1) });
    return delay;
  }

  async function run(key: string): Promise<void> {
    try {
      const result = await opts.handler(key);
      failCounts.delete(key);
      const after = result?.requeueAfterMs;
      if (after !== undefined && after >= 0) enqueue(key, { after: Math.max(after, 1) });
    } catch (err) {
      const delay = fail(key);
      opts.onError?.(key, err, delay);
    }
  }

  function start(key: string): void {
    // Deferred by a microtask so the key is registered as active before its handler runs.
    const p = Promise.resolve(key).then(run).finally(() => {
      active.delete(key);
      if (dirty.delete(key) && !stopped) addNow(key);
      else pump();
    });
    active.set(key, p);
  }

  function pump(): void {
    while (!stopped && active.size < workers && ready.length > 0) {
      const key = ready.shift() as string;
      readySet.delete(key);
      start(key);
    }
  }

  async function stop(o?: { timeoutMs?: number }): Promise<boolean> {
    stopped = true;
    for (const key of [...timed.keys()]) cancelTimer(key);
    ready.length = 0;
    readySet.clear();
    dirty.clear();
    const inFlight = Promise.all(active.values()).then(() => true);
    let handle: TimerHandle | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      handle = timers.setTimeout(() => resolve(false), o?.timeoutMs ?? 30_000);
    });
    const finished = await Promise.race([inFlight, timeout]);
    timers.clearTimeout(handle);
    return finished;
  }

  return {
    enqueue,
    fail,
    forget: (key) => void failCounts.delete(key),
    failures: (key) => failCounts.get(key) ?? 0,
    depth: () => ready.length,
    running: () => active.size,
    scheduled: () => timed.size,
    stop,
  };
}
