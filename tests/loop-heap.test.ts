/**
 * The controller gives its garbage back: compactPeriodically runs a full collection every interval (an object only
 * a WeakRef still points to is gone afterwards) and none once stopped.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { compactPeriodically } from "../controller/loop/heap.ts";
import type { Timers } from "../controller/loop/timers.ts";

function manualTimers() {
  const pending: { fn: () => void; at: number }[] = [];
  let now = 0;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => (pending.push({ fn, at: now + ms }), pending.at(-1)),
    clearTimeout: (h) => void (pending.includes(h as never) && pending.splice(pending.indexOf(h as never), 1)),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of pending.filter((p) => p.at <= now)) {
      pending.splice(pending.indexOf(t), 1);
      t.fn();
    }
  };
  return { timers, advance, pending };
}

/** A WeakRef to garbage made in another turn of the event loop (a WeakRef holds its target until the turn ends). */
async function garbage(): Promise<WeakRef<object>> {
  const ref = new WeakRef({ payload: new Array(1000).fill("x") });
  await new Promise((r) => setImmediate(r));
  return ref;
}

test("compactPeriodically collects every interval until stopped", async () => {
  const { timers, advance, pending } = manualTimers();
  const stop = compactPeriodically(timers, 1000);
  const first = await garbage();
  advance(999);
  assert.equal(pending.length, 1, "waiting for the interval"); // (no deref here: it would keep the object alive)
  advance(1);
  assert.equal(first.deref(), undefined, "collected at the interval");
  const second = await garbage();
  advance(1000);
  assert.equal(second.deref(), undefined, "and at the next one");
  stop();
  assert.equal(pending.length, 0, "no timer is left once stopped");
});
