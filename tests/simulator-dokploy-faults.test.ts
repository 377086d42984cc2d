/** The simulator's fault knobs: latency, 500s, 429s, key exhaustion and dropped connections. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { DokploySimulator, DokploySimulatorOptions } from "../simulators/dokploy/server.ts";

async function withSim(opts: DokploySimulatorOptions, fn: (sim: DokploySimulator) => Promise<void>): Promise<void> {
  const sim = await startDokploySimulator(opts);
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

/** Status of GET project.all, or 0 when the connection was dropped. */
async function status(sim: DokploySimulator, path = "/api/project.all"): Promise<number> {
  try {
    const res = await fetch(sim.url + path, { headers: { "x-api-key": sim.apiKey } });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function statuses(sim: DokploySimulator, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await status(sim));
  return out;
}

test("latencyMs delays API calls but not /api/health", async () => {
  await withSim({ latencyMs: 120 }, async (sim) => {
    let t = performance.now();
    assert.equal(await status(sim), 200);
    assert.ok(performance.now() - t >= 110, "API call delayed");
    t = performance.now();
    assert.equal(await status(sim, "/api/health"), 200);
    assert.ok(performance.now() - t < 100, "health not delayed");
  });
});

test("errorRate answers a deterministic fraction with 500, reproducible by seed", async () => {
  const run = () => new Promise<number[]>((resolve, reject) => withSim({ errorRate: 0.5, seed: 7 }, async (sim) => resolve(await statuses(sim, 40))).catch(reject));
  const [a, b] = [await run(), await run()];
  assert.deepEqual(a, b);
  const failures = a.filter((s) => s === 500).length;
  assert.ok(failures > 5 && failures < 35, `about half fail, got ${failures}`);
  assert.ok(a.every((s) => s === 200 || s === 500));
});

test("errorRate 1 gives the tRPC 500 body", async () => {
  await withSim({ errorRate: 1 }, async (sim) => {
    const res = await fetch(`${sim.url}/api/project.all`, { headers: { "x-api-key": sim.apiKey } });
    assert.equal(res.status, 500);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body["code"], "INTERNAL_SERVER_ERROR");
  });
});

test("rateLimit429Rate answers 429 with Retry-After: 1", async () => {
  await withSim({ rateLimit429Rate: 1 }, async (sim) => {
    const res = await fetch(`${sim.url}/api/project.all`, { headers: { "x-api-key": sim.apiKey } });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), "1");
    await res.arrayBuffer();
    assert.equal(await status(sim, "/api/health"), 200, "health is never faulted");
  });
});

test("unauthorizedAfter: N calls succeed, then every call gets the plain 401", async () => {
  await withSim({ unauthorizedAfter: 3 }, async (sim) => {
    assert.deepEqual(await statuses(sim, 5), [200, 200, 200, 401, 401]);
    const res = await fetch(`${sim.url}/api/project.all`, { headers: { "x-api-key": sim.apiKey } });
    assert.deepEqual(await res.json(), { message: "Unauthorized" });
    sim.setFaults({ unauthorizedAfter: 1 }); // a new key: the count restarts
    assert.deepEqual(await statuses(sim, 2), [200, 401]);
    sim.setFaults({ unauthorizedAfter: undefined });
    assert.deepEqual(await statuses(sim, 2), [200, 200]);
  });
});

test("dropRate destroys the connection without an answer, and is logged with status 0", async () => {
  await withSim({ dropRate: 1 }, async (sim) => {
    await assert.rejects(fetch(`${sim.url}/api/project.all`, { headers: { "x-api-key": sim.apiKey } }));
    assert.deepEqual(sim.requests.at(-1), { method: "GET", path: "/api/project.all", status: 0 });
    assert.equal(await status(sim, "/api/health"), 200);
  });
});

test("setFaults switches knobs at runtime and the request log records every call", async () => {
  await withSim({}, async (sim) => {
    assert.equal(await status(sim), 200);
    sim.setFaults({ errorRate: 1 });
    assert.equal(await status(sim), 500);
    sim.setFaults({ errorRate: 0 });
    assert.equal(await status(sim), 200);
    assert.deepEqual(sim.requests.map((r) => r.status), [200, 500, 200]);
  });
});
