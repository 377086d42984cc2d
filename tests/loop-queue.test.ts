import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay, createWorkQueue } from "../controller/loop/queue.ts";
import type { WorkHandler } from "../controller/loop/queue.ts";
import { jittered, spreadSchedule, stableFraction } from "../controller/loop/schedule.ts";
import type { TimerHandle, Timers } from "../controller/loop/timers.ts";

/** Hand-driven timers: time moves only through advance(). */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { due: number; fn: () => void }>();
  const timers: Timers = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      pending.set(id, { due: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(h: TimerHandle) {
      pending.delete(h as number);
    },
  };
  async function advance(ms: number): Promise<void> {
    const target = now + ms;
    for (;;) {
      const next = [...pending.entries()].filter(([, t]) => t.due <= target).sort((a, b) => a[1].due - b[1].due)[0];
      if (!next) break;
      pending.delete(next[0]);
      now = next[1].due;
      next[1].fn();
      await settle();
    }
    now = target;
    await settle();
  }
  return { timers, advance, pending: () => pending.size };
}

/** Let promise callbacks run (handlers here resolve on the microtask queue or via deferreds). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("work queue", () => {
  it("deduplicates a key enqueued many times before it runs", async () => {
    const calls: string[] = [];
    const gate = deferred();
    const q = createWorkQueue({
      workers: 1,
      handler: async (k) => {
        calls.push(k);
        if (k === "blocker") await gate.promise;
      },
    });
    q.enqueue("blocker");
    for (let i = 0; i < 5; i++) q.enqueue("a");
    q.enqueue("b");
    assert.equal(q.depth(), 2);
    gate.resolve();
    await settle();
    assert.deepEqual(calls, ["blocker", "a", "b"]);
    assert.equal(q.depth(), 0);
  });

  it("never runs one key twice at once and re-runs a key enqueued while running", async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const gates = [deferred(), deferred()];
    const q = createWorkQueue({
      workers: 4,
      handler: async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await gates[runs++]?.promise;
        concurrent--;
      },
    });
    q.enqueue("s");
    await settle();
    q.enqueue("s");
    q.enqueue("s");
    await settle();
    assert.equal(q.running(), 1);
    assert.equal(q.depth(), 0, "a running key is not queued a second time");
    gates[0]?.resolve();
    await settle();
    gates[1]?.resolve();
    await settle();
    assert.equal(runs, 2, "one re-run for the enqueues during the run");
    assert.equal(maxConcurrent, 1);
  });

  it("bounds the number of workers", async () => {
    const gate = deferred();
    let max = 0;
    const q = createWorkQueue({
      workers: 2,
      handler: async () => {
        max = Math.max(max, q.running());
        await gate.promise;
      },
    });
    for (const k of ["a", "b", "c", "d"]) q.enqueue(k);
    await settle();
    assert.equal(q.running(), 2);
    assert.equal(q.depth(), 2);
    gate.resolve();
    await settle();
    assert.equal(max, 2);
    assert.equal(q.running(), 0);
  });

  it("backs off per key on failure, does not block other keys, and resets on success", async () => {
    const ft = fakeTimers();
    const calls: string[] = [];
    let failing = true;
    const errors: number[] = [];
    const q = createWorkQueue({
      timers: ft.timers,
      random: () => 0.5,
      backoff: { baseMs: 1000, maxMs: 4000 },
      handler: async (k) => {
        calls.push(k);
        if (k === "bad" && failing) throw new Error("boom");
      },
      onError: (_k, _e, delay) => errors.push(delay),
    });
    q.enqueue("bad");
    q.enqueue("good");
    await settle();
    assert.deepEqual(calls, ["bad", "good"]);
    assert.equal(q.failures("bad"), 1);
    await ft.advance(499);
    assert.equal(calls.length, 2, "not before the backoff delay");
    await ft.advance(1);
    assert.equal(calls.length, 3);
    await ft.advance(1000); // 2nd failure → 0.5 × 2000
    await ft.advance(2000); // 3rd failure → 0.5 × 4000 (cap)
    await ft.advance(2000); // 4th failure → still capped
    assert.deepEqual(errors, [500, 1000, 2000, 2000, 2000]);
    failing = false;
    await ft.advance(2000);
    assert.equal(q.failures("bad"), 0, "success resets the backoff");
    assert.equal(q.scheduled(), 0);
    assert.equal(calls.filter((c) => c === "good").length, 1);
  });

  it("re-runs after requeueAfterMs, and the earliest of two timed requests wins", async () => {
    const ft = fakeTimers();
    let runs = 0;
    const q = createWorkQueue({
      timers: ft.timers,
      handler: async () => {
        runs++;
        return { requeueAfterMs: 10_000 };
      },
    });
    q.enqueue("s");
    await settle();
    assert.equal(runs, 1);
    q.enqueue("s", { after: 3000 });
    q.enqueue("s", { after: 20_000 });
    assert.equal(q.scheduled(), 1);
    await ft.advance(3000);
    assert.equal(runs, 2);
    await ft.advance(10_000);
    assert.equal(runs, 3);
  });

  it("an immediate enqueue supersedes a pending timer", async () => {
    const ft = fakeTimers();
    let runs = 0;
    const q = createWorkQueue({ timers: ft.timers, handler: async () => void runs++ });
    q.enqueue("s", { after: 5000 });
    q.enqueue("s");
    await settle();
    assert.equal(runs, 1);
    await ft.advance(10_000);
    assert.equal(runs, 1);
  });

  it("stop drops queued work and waits for in-flight handlers within the bound", async () => {
    const gate = deferred();
    const calls: string[] = [];
    const q = createWorkQueue({
      workers: 1,
      handler: async (k) => {
        calls.push(k);
        await gate.promise;
      },
    });
    q.enqueue("a");
    q.enqueue("b");
    q.enqueue("c", { after: 10 });
    const stopping = q.stop({ timeoutMs: 10_000 });
    q.enqueue("d");
    gate.resolve();
    assert.equal(await stopping, true);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(calls, ["a"]);
  });

  it("stop gives up on a handler that outlives the bound", async () => {
    const ft = fakeTimers();
    const q = createWorkQueue({ timers: ft.timers, handler: () => new Promise(() => {}) });
    q.enqueue("stuck");
    await settle();
    const stopping = q.stop({ timeoutMs: 1000 });
    await ft.advance(1000);
    assert.equal(await stopping, false);
  });

  it("a failing handler on one key keeps workers free for others", async () => {
    const seen = new Set<string>();
    const handler: WorkHandler = async (k) => {
      seen.add(k);
      if (k.startsWith("x")) throw new Error("fail");
    };
    const q = createWorkQueue({ workers: 1, handler, onError: () => {} });
    for (const k of ["x1", "x2", "ok"]) q.enqueue(k);
    await settle();
    assert.ok(seen.has("ok"));
    await q.stop();
  });
});

describe("backoff and spreading", () => {
  it("backoffDelay is full jitter under an exponential cap", () => {
    const b = { baseMs: 100, maxMs: 1000 };
    assert.equal(backoffDelay(1, b, () => 0.999), 99);
    assert.equal(backoffDelay(3, b, () => 0.5), 200);
    assert.equal(backoffDelay(50, b, () => 0.5), 500);
    assert.equal(backoffDelay(2000, b, () => 0), 0);
  });

  it("spreadSchedule gives stable offsets within the interval, spread out", () => {
    const keys = Array.from({ length: 200 }, (_, i) => `stack-${i}`);
    const a = spreadSchedule(keys, 600_000);
    const b = spreadSchedule([...keys].reverse(), 600_000);
    for (const k of keys) {
      const off = a.get(k) as number;
      assert.ok(off >= 0 && off < 600_000);
      assert.equal(b.get(k), off, "independent of the other keys");
    }
    // Ten buckets of a minute each: a burst would leave most empty.
    const buckets = new Set([...a.values()].map((o) => Math.floor(o / 60_000)));
    assert.equal(buckets.size, 10);
    assert.equal(stableFraction("shop"), stableFraction("shop"));
  });

  it("jittered stays within ±10 %", () => {
    assert.equal(jittered(1000, () => 0), 900);
    assert.equal(jittered(1000, () => 0.5), 1000);
    assert.ok(jittered(1000, () => 0.9999) <= 1100);
  });
});
