/**
 * The clock and timers the loop uses, injected so tests drive time by hand instead of sleeping
 * (issue #4; style-anchors Lesson 11: `delayFn ?? setTimeout`).
 */

/** An opaque handle returned by Timers.setTimeout. */
export type TimerHandle = unknown;

/** Timers is the seam for time: `now()` in milliseconds and one-shot timers. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** systemTimers is the real clock; its timers are unref'd so a pending requeue never keeps the process alive. */
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)).unref(),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
