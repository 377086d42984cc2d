/**
 * The teardown sweep's survey pacing: a target's first sweep and the first after a new revision read at once (a
 * removed stack is torn down promptly, readiness waits for the first); a periodic sweep spreads its project reads
 * over a quarter of the drift interval, as the drift checks are spread, instead of one burst.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import type { LoopContext } from "../controller/loop/context.ts";
import { surveyPace } from "../controller/loop/sweep.ts";

function fakeContext(stacks: number, driftIntervalMs: number) {
  let now = 1_000;
  const timers: { at: number; fn: () => void }[] = [];
  const ctx = {
    driftIntervalMs,
    signal: new AbortController().signal,
    status: { list: () => Array.from({ length: stacks }, (_, i) => ({ name: `s${i}`, target: "t" })) },
    timers: {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => timers.push({ at: now + ms, fn }),
      clearTimeout: () => undefined,
    },
  } as unknown as LoopContext;
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.splice(0).sort((a, b) => a.at - b.at)) {
      if (t.at <= now) t.fn();
      else timers.push(t);
    }
  };
  return { ctx, advance };
}

it("reads at once for a first sweep and after a new revision, spread over a quarter interval otherwise", async () => {
  const { ctx, advance } = fakeContext(4, 4_000);
  assert.equal(surveyPace(ctx, "t", "r1"), undefined, "first sweep of the target");
  const pace = surveyPace(ctx, "t", "r1");
  assert.ok(pace, "a periodic sweep is paced");
  assert.equal(surveyPace(ctx, "t", "r2"), undefined, "a new revision (maybe a removed stack) sweeps at once");
  const released: number[] = [];
  const reads = [0, 1, 2, 3].map((i) => pace!().then(() => released.push(i)));
  await Promise.resolve();
  assert.deepEqual(released, [0], "the first read starts at once");
  for (const expected of [[0, 1], [0, 1, 2], [0, 1, 2, 3]]) {
    advance(249);
    await Promise.resolve();
    assert.equal(released.length, expected.length - 1, "not before its slot");
    advance(1);
    await Promise.resolve();
    assert.deepEqual(released, expected, "one read every interval / 4 / stacks = 250 ms");
  }
  await Promise.all(reads);
});
