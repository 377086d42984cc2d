/**
 * Fixtures of the controller benchmark: the in-process Dokploy simulator with a timestamp per request, the bench
 * stacks (one application with one domain each) as manifests, and seeding the simulator with them through the same
 * plan/apply engine as `stackctl apply`, so that a controller started afterwards finds every stack in sync.
 */
import { stringify } from "yaml";
import { applyPlan } from "../../controller/apply.ts";
import { buildDesired } from "../../controller/desired.ts";
import { planTargets } from "../../controller/engine.ts";
import { createDokployProvider } from "../../controller/providers/dokploy/index.ts";
import { StackSchema } from "../../specs/model.ts";
import { normalizeStack } from "../../specs/normalize.ts";
import { startDokploySimulator } from "../../simulators/dokploy/server.ts";
import type { DokploySimulator } from "../../simulators/dokploy/server.ts";

/** The instance and target names `stackctl run` uses without a config file (DOKPLOY_URL + DOKPLOY_API_KEY). */
export const INSTANCE = "default";
export const TARGET = "default";

/** One request the simulator received, with the time it arrived (ms since the epoch, sub-ms precision). */
export interface TimedRequest {
  method: string;
  path: string;
  status: number;
  at: number;
}

/** The simulator and its request log with arrival times. */
export interface BenchSimulator {
  sim: DokploySimulator;
  log: TimedRequest[];
}

export const nowMs = (): number => performance.timeOrigin + performance.now();

/** startSimulator starts the simulator in this process; every request is also logged with its arrival time. */
export async function startSimulator(): Promise<BenchSimulator> {
  const sim = await startDokploySimulator({ seed: 1 });
  // Dokploy builds one deployment at a time by default: 10,000 seeded deployments would keep the simulator's queue
  // busy for minutes and the controller would start before they ended. The benchmarks measure stackctl.
  sim.store.settings.deploy.buildsConcurrency = 1000;
  sim.store.settings.deployDurationMs = 1;
  const log: TimedRequest[] = [];
  // The server pushes a record per request as it arrives and sets its status later; keep the same object.
  const push = sim.requests.push.bind(sim.requests);
  sim.requests.push = (...items) => {
    for (const r of items) log.push(Object.assign(r, { at: nowMs() }) as TimedRequest);
    return push(...items);
  };
  return { sim, log };
}

/** The manifest (as an object) of bench stack `name`: one application, one domain, two env variables. */
export function stackManifest(name: string): Record<string, unknown> {
  return {
    apiVersion: "stackctl.dev/v1alpha1",
    kind: "Stack",
    metadata: { name },
    spec: { applications: [{ name: "web", image: "nginx:1.27", ports: [8080], env: { LOG_LEVEL: "info", STACK: name }, domains: [{ host: `${name}.example.com` }] }] },
  };
}

export const stackName = (i: number): string => `s${String(i).padStart(5, "0")}`;

/** The files of N stacks as the Git repository holds them (`stacks/<name>.yaml`). */
export function manifestFiles(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [`stacks/${n}.yaml`, stringify(stackManifest(n))]));
}

/** seed applies the stacks to the simulator through the engine, as `stackctl apply` would; returns the requests made. */
export async function seed(url: string, names: readonly string[]): Promise<number> {
  let requests = 0;
  const provider = createDokployProvider({ url, apiKey: "sim-api-key", maxConcurrent: 16, onRequest: () => void (requests += 1) });
  const sourced = names.map((n) => ({ file: `stacks/${n}.yaml`, stack: normalizeStack(StackSchema.parse(stackManifest(n))) }));
  const desired = buildDesired(sourced, { targets: [TARGET], resolveSecret: () => undefined, describeSecret: () => "" });
  const [target] = await planTargets({ instance: INSTANCE, targets: [{ name: TARGET, provider }], desired: desired.stacks, failedStacks: [], suspendTeardown: false, allowMassDeletion: false });
  if (!target?.plan) throw new Error(`seed: ${target?.error?.message}`);
  const result = await applyPlan(target.plan, provider, { concurrency: 16 });
  await provider.close();
  if (result.stacks.some((s) => s.status === "failed")) throw new Error("seed: apply failed");
  return requests;
}
