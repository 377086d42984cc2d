/**
 * Benchmark: what waiting for deployments costs. Against each simulator (in this process), N stacks of one
 * application are applied twice from an empty server: once without waiting (`--wait=false`) and once waiting for
 * every deployment to finish and run, with deployments of D seconds. Time is simulated: deployments and the
 * waiter's poll delays (1 s growing to 10 s) are all divided by SCALE, and wall times are multiplied back, so the
 * table reads as real seconds. Reported: the requests spent waiting (deployment and runtime reads) per deployment,
 * and the wall time waiting adds. A no-op re-plan afterwards shows that drift checks read nothing more.
 * Usage: node bench/deploy-wait.ts [--stacks N] [--deploy-seconds D] [--scale S] (default 100, 30, 100).
 */
import { applyPlan } from "../controller/apply.ts";
import { buildDesired } from "../controller/desired.ts";
import { planTargets } from "../controller/engine.ts";
import type { Provider } from "../controller/provider.ts";
import { createCoolifyProvider } from "../controller/providers/coolify/index.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import { StackSchema } from "../specs/model.ts";
import { normalizeStack } from "../specs/normalize.ts";
import { startCoolifySimulator } from "../simulators/coolify/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const STACKS = option("--stacks", 100);
const DEPLOY_S = option("--deploy-seconds", 30);
const SCALE = option("--scale", 100);

/** A request the waiter makes: a deployment's rows, the queue, its log, or the runtime read. */
const WAIT_READ = /^\/(deployment\.|docker\.)|^\/deployments\/|^\/applications\/[a-z0-9]+$/;

function stacks(n: number) {
  const sourced = Array.from({ length: n }, (_, i) => {
    const name = `w${String(i).padStart(3, "0")}`;
    const stack = StackSchema.parse({ apiVersion: "stackctl.dev/v1alpha1", kind: "Stack", metadata: { name }, spec: { applications: [{ name: "web", image: "nginx:1.27", ports: [8080] }] } });
    return { file: `${name}.yaml`, stack: normalizeStack(stack) };
  });
  return buildDesired(sourced, { targets: ["bench"], resolveSecret: () => undefined, describeSecret: () => "" }).stacks;
}

interface Target {
  provider: Provider;
  counts: { all: number; wait: number };
  idle(): Promise<void>;
  close(): Promise<void>;
}

async function dokploy(): Promise<Target> {
  const sim = await startDokploySimulator({ seed: 5 });
  sim.store.settings.deployDurationMs = (DEPLOY_S * 1000) / SCALE;
  const counts = { all: 0, wait: 0 };
  const provider = createDokployProvider({ url: sim.url, apiKey: sim.apiKey, maxConcurrent: 16, onRequest: (r) => count(counts, r.method, r.path) });
  return { provider, counts, idle: () => sim.store.settled(), close: async () => { await provider.close?.(); await sim.close(); } };
}

async function coolify(): Promise<Target> {
  const sim = await startCoolifySimulator({ seed: 5, rateLimitPerMinute: 1_000_000 });
  sim.store.deploys.knobs.durationMs = (DEPLOY_S * 1000) / SCALE;
  const counts = { all: 0, wait: 0 };
  const provider = createCoolifyProvider({ url: sim.url, token: sim.token, server: "localhost", rateLimit: { requestsPerSecond: 100_000 }, maxConcurrent: 16, onRequest: (r) => count(counts, r.method, r.path) });
  const idle = async () => {
    while (sim.store.deploys.busy()) await new Promise((r) => setTimeout(r, 5));
  };
  return { provider, counts, idle, close: async () => { await provider.close(); await sim.close(); } };
}

function count(counts: { all: number; wait: number }, method: string, path: string): void {
  counts.all += 1;
  if (method === "GET" && WAIT_READ.test(path.split("?")[0]!)) counts.wait += 1;
}

/** One apply from an empty server; returns wall time (simulated seconds), requests, and waiting reads. */
async function applyOnce(make: () => Promise<Target>, n: number, wait: boolean) {
  const t = await make();
  try {
    const desired = stacks(n);
    const started = performance.now();
    const [plan] = await planTargets({ instance: "bench", targets: [{ name: "bench", provider: t.provider }], desired, failedStacks: [], suspendTeardown: false, allowMassDeletion: false });
    if (!plan?.plan) throw new Error(plan?.error?.message);
    const policy = { deadline: Date.now() + 3_600_000, initialPollMs: 1000 / SCALE, maxPollMs: 10_000 / SCALE, scrub: (s: string) => s };
    const before = { ...t.counts };
    const result = await applyPlan(plan.plan, t.provider, { concurrency: 4, ...(wait ? { wait: policy } : {}) });
    const applyMs = performance.now() - started;
    const failed = result.stacks.filter((s) => s.status === "failed").length;
    await t.idle();
    const serverMs = performance.now() - started;
    const reports = result.stacks.flatMap((s) => s.deployments ?? []);
    const apply = { requests: t.counts.all - before.all, waitReads: t.counts.wait - before.wait };
    // A drift check afterwards: observe + plan with nothing to do (what the controller does every drift interval).
    const quiet = { ...t.counts };
    const [again] = await planTargets({ instance: "bench", targets: [{ name: "bench", provider: t.provider }], desired, failedStacks: [], suspendTeardown: false, allowMassDeletion: false });
    const driftChanges = again?.plan?.stacks.reduce((k, s) => k + s.changes.length, 0) ?? -1;
    return {
      applyS: (applyMs * SCALE) / 1000, serverS: (serverMs * SCALE) / 1000, failed, running: reports.filter((r) => r.outcome === "succeeded").length,
      ...apply, driftRequests: t.counts.all - quiet.all, driftWaitReads: t.counts.wait - quiet.wait, driftChanges,
    };
  } finally {
    await t.close();
  }
}

const rows: string[] = [];
for (const [name, make] of [["Dokploy", dokploy], ["Coolify", coolify]] as const) {
  const one = await applyOnce(make, 1, true);
  const fast = await applyOnce(make, STACKS, false);
  console.error(`${name}: deployment reads without waiting: ${fast.waitReads} (Dokploy looks for a queued or running deployment before each deploy call)`);
  const waited = await applyOnce(make, STACKS, true);
  if (waited.failed > 0 || waited.running !== STACKS) throw new Error(`${name}: ${waited.failed} failed, ${waited.running} running`);
  rows.push(`| ${name} | ${one.waitReads} | ${(waited.waitReads / STACKS).toFixed(1)} | ${fast.applyS.toFixed(0)} s | ${fast.serverS.toFixed(0)} s | ${waited.applyS.toFixed(0)} s | +${(waited.applyS - fast.applyS).toFixed(0)} s (+${(waited.applyS - fast.serverS).toFixed(0)} s past the server's own) | ${waited.driftRequests} (${waited.driftWaitReads} deployment reads, ${waited.driftChanges} changes) |`);
  console.error(name, { one, fast, waited });
}
console.log(`${STACKS} stacks of one application, ${DEPLOY_S} s deployments, time simulated at 1/${SCALE}; apply concurrency 4.\n`);
console.log("| target | reads to wait for 1 deployment | reads per deployment, " + STACKS + " stacks | apply without waiting | server done deploying | apply waiting | added wall time | a drift check afterwards: requests |");
console.log("|---|---:|---:|---:|---:|---:|---|---|");
for (const r of rows) console.log(r);
