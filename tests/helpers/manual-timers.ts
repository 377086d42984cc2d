/**
 * A clock the test moves by hand, for code that takes `Timers` (controller/loop/timers.ts): `advance(ms)` runs, in
 * order, every timer due by then, then lets pending promise callbacks run.
 */
import type { Timers } from "../../controller/loop/timers.ts";

/** A manual clock: its Timers, `advance`, the delays of the timers still pending, and their count. */
export function manualTimers() {
  const pending: { fn: () => void; at: number }[] = [];
  let now = 0;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => (pending.push({ fn, at: now + ms }), pending.at(-1)),
    clearTimeout: (h) => void (pending.includes(h as never) && pending.splice(pending.indexOf(h as never), 1)),
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const t of pending.filter((p) => p.at <= now)) {
      pending.splice(pending.indexOf(t), 1);
      t.fn();
    }
    await new Promise((r) => setImmediate(r));
  };
  return { timers, advance, delays: () => pending.map((p) => p.at - now), pendingCount: () => pending.length };
}
