/**
 * Benchmark: cold apply and no-op reconcile of N stacks of 3 applications against the Dokploy simulator, run as a
 * separate process with a few milliseconds of latency per request so that the client's CPU time is its own.
 * Prints a markdown table of requests, wall time and CPU time. Usage: node bench/apply.ts [N...] (default 10 100 1000).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { applyPlan } from "../controller/apply.ts";
import { buildDesired } from "../controller/desired.ts";
import { planTargets } from "../controller/engine.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import { StackSchema } from "../specs/model.ts";
import { normalizeStack } from "../specs/normalize.ts";

const LATENCY_MS = 3;
const STACKCTL = fileURLToPath(new URL("../cmd/stackctl.ts", import.meta.url));

async function startSimulator(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [STACKCTL, "dev-server", "dokploy", "--port", "0", "--latency-ms", String(LATENCY_MS)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  // Keep reading the child's output to the end: a closed pipe would kill it with EPIPE.
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on("exit", () => reject(new Error(`simulator exited: ${out}`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

function stacks(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const name = `b${n}-${String(i).padStart(5, "0")}`;
    const applications = ["web", "api", "worker"].map((app, j) => ({
      name: app,
      image: `nginx:1.${27 + j}`,
      ports: [8080],
      env: { LOG_LEVEL: "info", INDEX: String(j) },
      ...(app === "worker" ? {} : { domains: [{ host: `${app}.${name}.example.com` }] }),
    }));
    const stack = StackSchema.parse({ apiVersion: "stackctl.dev/v1alpha1", kind: "Stack", metadata: { name }, spec: { applications } });
    return { file: `${name}.yaml`, stack: normalizeStack(stack) };
  });
}

async function measure(n: number, url: string) {
  let requests = 0;
  let posts = 0;
  const onRequest = (info: { method: string }) => {
    requests += 1;
    if (info.method === "POST") posts += 1;
  };
  const provider = createDokployProvider({ url, apiKey: "sim-api-key", maxConcurrent: 16, onRequest });
  const desired = buildDesired(stacks(n), { targets: ["bench"], resolveSecret: () => undefined, describeSecret: () => "" });
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
const sim = await startSimulator();
try {
  console.log(`| stacks (×3 apps) | cold apply: requests | cold apply: wall | no-op: requests | no-op: writes | no-op: wall | no-op: CPU |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|`);
  for (const n of sizes.length > 0 ? sizes : [10, 100, 1000]) {
    const r = await measure(n, sim.url);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`| ${r.n} | ${r.cold.requests} | ${s(r.cold.wallMs)} | ${r.noop.requests} | ${r.noop.writes} | ${s(r.noop.wallMs)} | ${s(r.noop.cpuMs)} |`);
  }
} finally {
  sim.stop();
}
