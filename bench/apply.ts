/**
 * Benchmark: cold apply and no-op reconcile of N stacks of 3 applications against the Dokploy simulator, run as a
 * separate process with a few milliseconds of latency per request so that the client's CPU time is its own.
 * Prints a markdown table of requests (and the minimum the work needs), wall time and CPU time.
 * Usage: node bench/apply.ts [--latency MS] [--volumes] [N...] (default 3 ms, no volumes, 10 100 1000).
 * The minimum: one `project.all` and the `stackctl` tag's lookup and creation (once per process), then per stack its
 * project, the project's tag and the environment marker, per application its create, source, env (when it has any)
 * and deploy plus one call per volume, and one call per domain.
 */
import { applyPlan } from "../controller/apply.ts";
import { buildDesired } from "../controller/desired.ts";
import { planTargets } from "../controller/engine.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import type { DesiredStack } from "../controller/model.ts";
import { benchStacks, seconds, startDevServer } from "./common.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const latencyAt = args.indexOf("--latency");
const LATENCY_MS = latencyAt >= 0 ? Number(args[latencyAt + 1]) : 3;
const VOLUMES = flag("--volumes");
const sizes = args.filter((a, i) => /^\d+$/.test(a) && i !== latencyAt + 1).map(Number);

/** The fewest requests a cold apply of `stacks` can take (see the file comment). */
function minimumRequests(stacks: readonly DesiredStack[]): number {
  let n = 3;
  for (const s of stacks) {
    n += 3;
    for (const a of s.applications) n += 3 + (Object.keys(a.spec.env).length > 0 ? 1 : 0) + a.spec.volumes.length + a.domains.length;
  }
  return n;
}

async function measure(n: number, url: string) {
  let requests = 0;
  let posts = 0;
  let deploymentReads = 0;
  const onRequest = (info: { method: string; path: string }) => {
    // Reads of deployment rows identify a new deployment for waiting on it: counted apart from the work itself.
    if (info.path.startsWith("/deployment.")) return void (deploymentReads += 1);
    requests += 1;
    if (info.method === "POST") posts += 1;
  };
  const provider = createDokployProvider({ url, apiKey: "sim-api-key", maxConcurrent: 16, onRequest });
  const desired = buildDesired(benchStacks(n, VOLUMES), { targets: ["bench"], resolveSecret: () => undefined, describeSecret: () => "" });
  // Both passes are full reconciles (observe, plan, apply); the second must find nothing to write.
  const pass = async () => {
    requests = 0;
    posts = 0;
    deploymentReads = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    const [target] = await planTargets({ instance: `bench-${n}`, targets: [{ name: "bench", provider }], desired: desired.stacks, failedStacks: [], suspendTeardown: false, allowMassDeletion: false });
    if (!target?.plan) throw new Error(target?.error?.message);
    const result = await applyPlan(target.plan, provider, { concurrency: 8 });
    if (result.stacks.some((s) => s.status === "failed")) throw new Error("apply failed");
    const used = process.cpuUsage(cpu);
    return { requests, deploymentReads, writes: posts, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000, cpuUserMs: used.user / 1000 };
  };
  const cold = await pass();
  await new Promise((r) => setTimeout(r, 2000)); // the simulator ends the deployments the cold apply queued
  const noop = await pass();
  await provider.close();
  return { n, cold, noop, minimum: minimumRequests(desired.stacks) };
}

const sim = await startDevServer(["dokploy", "--latency-ms", String(LATENCY_MS), "--builds-concurrency", "1000"]);
try {
  console.log(`Simulator latency ${LATENCY_MS} ms, ${VOLUMES ? "one volume per application" : "no volumes"}, 8 stacks at once, 16 requests in flight:\n`);
  console.log(`| stacks (×3 apps) | cold apply: requests | minimum | ratio | deployment reads | cold apply: wall | cold apply: CPU (user) | no-op: requests | no-op: writes | no-op: wall | no-op: CPU |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const n of sizes.length > 0 ? sizes : [10, 100, 1000]) {
    const r = await measure(n, sim.url);
    console.log(`| ${r.n} | ${r.cold.requests} | ${r.minimum} | ${(r.cold.requests / r.minimum).toFixed(3)} | ${r.cold.deploymentReads} | ${seconds(r.cold.wallMs)} | ${seconds(r.cold.cpuUserMs)} | ${r.noop.requests} | ${r.noop.writes} | ${seconds(r.noop.wallMs)} | ${seconds(r.noop.cpuMs)} |`);
  }
} finally {
  sim.stop();
}
