/**
 * Admission control for one HTTP client (one target): a FIFO semaphore bounding requests in flight, and token
 * buckets spacing request starts so a reconcile never bursts past what the server (or a proxy in front of it)
 * tolerates.
 */

/** Sleeps for `ms`, rejecting when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The default Sleep: a timer that an AbortSignal cancels. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** A counting semaphore that admits waiters in arrival order. */
export class Semaphore {
  #free: number;
  readonly #waiters: (() => void)[] = [];

  constructor(size: number) {
    this.#free = Math.max(1, Math.floor(size));
  }

  /** Waits for a slot; the returned function releases it (call it exactly once). */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

/** Limits of a RateLimiter; unset limits do not apply. */
export interface RateLimit {
  requestsPerSecond?: number;
  requestsPerMinute?: number;
  /** Requests that may start back to back before spacing applies (default 1: evenly spaced). */
  burst?: number;
}

interface Bucket {
  perMs: number;
  capacity: number;
  tokens: number;
  at: number;
}

/**
 * A token-bucket rate limiter. take() resolves when every bucket has a token; callers are served in arrival
 * order because each take() chains on the previous one.
 */
export class RateLimiter {
  readonly #buckets: Bucket[];
  readonly #sleep: Sleep;
  readonly #now: () => number;
  #queue: Promise<void> = Promise.resolve();

  constructor(limit: RateLimit | undefined, sleep: Sleep = realSleep, now: () => number = () => performance.now()) {
    const capacity = Math.max(1, limit?.burst ?? 1);
    const start = now();
    const rates = [
      limit?.requestsPerSecond ? limit.requestsPerSecond / 1000 : 0,
      limit?.requestsPerMinute ? limit.requestsPerMinute / 60_000 : 0,
    ];
    this.#buckets = rates.filter((r) => r > 0).map((perMs) => ({ perMs, capacity, tokens: capacity, at: start }));
    this.#sleep = sleep;
    this.#now = now;
  }

  /** Waits until a request may start, then consumes one token of every bucket. */
  take(signal?: AbortSignal): Promise<void> {
    if (this.#buckets.length === 0) return Promise.resolve();
    const turn = this.#queue.then(() => this.#waitForTokens(signal));
    // A caller that aborts must not block the ones behind it.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #waitForTokens(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = Math.max(...this.#buckets.map((b) => this.#refill(b)));
      if (wait <= 1e-6) break;
      await this.#sleep(Math.ceil(wait), signal);
    }
    for (const b of this.#buckets) b.tokens -= 1;
  }

  /** Refills a bucket up to now; returns the milliseconds until it holds one token (≤ 0: now). */
  #refill(b: Bucket): number {
    const now = this.#now();
    b.tokens = Math.min(b.capacity, b.tokens + (now - b.at) * b.perMs);
    b.at = now;
    return (1 - b.tokens) / b.perMs;
  }
}
