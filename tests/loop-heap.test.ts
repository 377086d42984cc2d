/**
 * The controller gives its garbage back: compactPeriodically runs a full collection every interval (an object only
 * a WeakRef still points to is gone afterwards) and none once stopped.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { compactPeriodically } from "../controller/loop/heap.ts";
import { manualTimers } from "./helpers/manual-timers.ts";

/** A WeakRef to garbage made in another turn of the event loop (a WeakRef holds its target until the turn ends). */
async function garbage(): Promise<WeakRef<object>> {
  const ref = new WeakRef({ payload: new Array(1000).fill("x") });
  await new Promise((r) => setImmediate(r));
  return ref;
}

test("compactPeriodically collects every interval until stopped", async () => {
  const { timers, advance, pendingCount } = manualTimers();
  const stop = compactPeriodically(timers, 1000);
  const first = await garbage();
  await advance(999);
  assert.equal(pendingCount(), 1, "waiting for the interval"); // (no deref here: it would keep the object alive)
  await advance(1);
  assert.equal(first.deref(), undefined, "collected at the interval");
  const second = await garbage();
  await advance(1000);
  assert.equal(second.deref(), undefined, "and at the next one");
  stop();
  assert.equal(pendingCount(), 0, "no timer is left once stopped");
});
