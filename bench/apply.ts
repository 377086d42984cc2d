/**
 * Benchmark: cold apply and no-op reconcile of N stacks of 3 applications against the Dokploy simulator, run as a
 * separate process with a few milliseconds of latency per request so that the client's CPU time is its own.
 * Prints a markdown table of requests, wall time and CPU time. Usage: node bench/apply.ts [N...] (default 10 100 1000).
 */
import { applyPlan } from "../controller/apply.ts";
import { buildDesired } from "../controller/desired.ts";
import { planTargets } from "../controller/engine.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import { benchStacks, seconds, startDevServer } from "./common.ts";

const LATENCY_MS = 3;

async function measure(n: number, url: string) {
  let requests = 0;
  let posts = 0;
  const onRequest = (info: { method: string }) => {
    requests += 1;
    if (info.method === "POST") posts += 1;
  };
  const provider = createDokployProvider({ url, apiKey: "sim-api-key", maxConcurrent: 16, onRequest });
  const desired = buildDesired(benchStacks(n), { targets: ["bench"], resolveSecret: () => undefined, describeSecret: () => "" });
  // Both passes are full reconciles (observe, plan, apply); the second must find nothing to write.
  const pass = async () => {
    requests = 0;
    posts = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    const [target] = await planTargets({ instance: `bench-${n}`, targets: [{ name: "bench", provider }], desired: desired.stacks, failedStacks: [], suspendTeardown: false, allowMassDeletion: false });
    if (!target?.plan) throw new Error(target?.error?.message);
    const result = await applyPlan(target.plan, provider, { concurrency: 8 });
    if (result.stacks.some((s) => s.status === "failed")) throw new Error("apply failed");
    const used = process.cpuUsage(cpu);
    return { requests, writes: posts, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
  };
  const cold = await pass();
  const noop = await pass();
  await provider.close();
  return { n, cold, noop };
}

const sizes = process.argv.slice(2).map(Number);
const sim = await startDevServer(["dokploy", "--latency-ms", String(LATENCY_MS)]);
try {
  console.log(`| stacks (×3 apps) | cold apply: requests | cold apply: wall | no-op: requests | no-op: writes | no-op: wall | no-op: CPU |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|`);
  for (const n of sizes.length > 0 ? sizes : [10, 100, 1000]) {
    const r = await measure(n, sim.url);
    console.log(`| ${r.n} | ${r.cold.requests} | ${seconds(r.cold.wallMs)} | ${r.noop.requests} | ${r.noop.writes} | ${seconds(r.noop.wallMs)} | ${seconds(r.noop.cpuMs)} |`);
  }
} finally {
  sim.stop();
}
