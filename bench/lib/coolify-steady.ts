/**
 * Requests and bytes `stackctl run` spends per drift interval on N unchanged stacks on Coolify. The Coolify
 * simulator runs in this process (every request timestamped, its answer's size recorded; rate limit far above the
 * pace, 3 ms of latency) and is seeded with the stacks through the engine; the controller runs as its own process
 * with a `stackctl.yaml` whose Coolify target has its client limit raised (`requestsPerMinute`), so that neither
 * limit binds. After the start-up pass and half an interval of warm-up, several windows of one drift interval
 * each are counted by route.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCoolifySimulator } from "../../simulators/coolify/server.ts";
import { createOrigin, spawnController } from "./controller-run.ts";
import type { BenchController } from "./controller-run.ts";
import { seedCoolify } from "./coolify-world.ts";
import { INSTANCE, TARGET, manifestFiles, nowMs, stackName } from "./fixture.ts";
import { cpuSeconds } from "./steady.ts";

/** The client limit of the controller's target (the configuration's maximum): far above the pace measured. */
export const CLIENT_PER_MINUTE = 100_000;
/** The simulator's API_RATE_LIMIT. */
export const SERVER_PER_MINUTE = 10_000_000;

/** One request as the benchmark saw it. */
interface Seen { method: string; path: string; status: number; bytes?: number; at: number }

/** The requests of one span: totals, and count and bytes by route (`GET /projects/{uuid}/{environment}`). */
export interface RouteCounts {
  total: number;
  writes: number;
  bytes: number;
  byRoute: Map<string, { count: number; bytes: number }>;
  perSecond: { min: number; median: number; max: number };
}

/** What a run measured. */
export interface CoolifySteadyResult {
  stacks: number;
  driftSeconds: number;
  startup: RouteCounts & { seconds: number };
  windows: RouteCounts[];
  windowsCpuSeconds: number;
}

/** route names a request by its route template: uuids become `{uuid}`, an environment segment `{environment}`. */
export function route(method: string, path: string): string {
  const parts = path.replace(/^\/api\/v1/, "").split("?")[0]!.split("/");
  if (parts[1] === "projects" && parts.length === 4 && parts[3] !== "environments") parts[3] = "{environment}";
  return `${method} ${parts.map((s, i) => (i >= 2 && /^[a-z0-9]{24}$/.test(s) ? "{uuid}" : s)).join("/")}`;
}

/** countRoutes splits the requests of [from, to) by route. */
export function countRoutes(log: readonly Seen[], from: number, to: number): RouteCounts {
  const span = log.filter((r) => r.at >= from && r.at < to);
  const seconds = Math.max(1, Math.floor((to - from) / 1000));
  const buckets = new Array<number>(seconds).fill(0);
  const byRoute = new Map<string, { count: number; bytes: number }>();
  let bytes = 0;
  for (const r of span) {
    const i = Math.floor((r.at - from) / 1000);
    if (i < seconds) buckets[i]! += 1;
    const key = route(r.method, r.path);
    const entry = byRoute.get(key) ?? byRoute.set(key, { count: 0, bytes: 0 }).get(key)!;
    entry.count += 1;
    entry.bytes += r.bytes ?? 0;
    bytes += r.bytes ?? 0;
  }
  buckets.sort((a, b) => a - b);
  const perSecond = { min: buckets[0]!, median: buckets[seconds >> 1]!, max: buckets[seconds - 1]! };
  return { total: span.length, writes: span.filter((r) => r.method !== "GET").length, bytes, byRoute, perSecond };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** coolifySteady runs the scenario of the file comment for `n` stacks. */
export async function coolifySteady(n: number, driftSeconds: number, windows: number, latencyMs: number): Promise<CoolifySteadyResult> {
  const sim = await startCoolifySimulator({ seed: 1, rateLimitPerMinute: SERVER_PER_MINUTE });
  sim.store.deploys.knobs.durationMs = 0;
  const log: Seen[] = [];
  const push = sim.requests.push.bind(sim.requests);
  sim.requests.push = (...items) => {
    for (const r of items) log.push(Object.assign(r, { at: nowMs() }));
    return push(...items);
  };
  const origin = await createOrigin();
  const dir = mkdtempSync(join(tmpdir(), "stackctl-bench-coolify-"));
  let ctl: BenchController | undefined;
  try {
    const names = Array.from({ length: n }, (_, i) => stackName(i));
    await seedCoolify(sim.url, sim.token, names);
    while (sim.store.deploys.busy()) await sleep(20); // every deployment ended: the controller starts in sync
    await origin.commit(manifestFiles(names), "seed");
    sim.setFaults({ latencyMs });
    const config = join(dir, "stackctl.yaml");
    const target = { name: TARGET, provider: "coolify", url: sim.url, token: { fromEnv: "COOLIFY_TOKEN" }, requestsPerMinute: CLIENT_PER_MINUTE };
    writeFileSync(config, JSON.stringify({ apiVersion: "stackctl.dev/v1alpha1", kind: "ControllerConfig", instance: INSTANCE, targets: [target] }));
    const started = nowMs();
    ctl = await spawnController(origin, sim.url, `${driftSeconds}s`, { env: { STACKCTL_CONFIG: config, COOLIFY_TOKEN: sim.token } });
    await ctl.ready(600_000);
    const ready = nowMs();
    const startup = { ...countRoutes(log, started, ready), seconds: (ready - started) / 1000 };
    const first = ready + (driftSeconds * 1000) / 2;
    const end = first + windows * driftSeconds * 1000;
    await sleep(first - nowMs());
    const cpuFirst = cpuSeconds(ctl.pid);
    await sleep(end - nowMs() + 100);
    const windowsCpuSeconds = cpuSeconds(ctl.pid) - cpuFirst;
    const spans = Array.from({ length: windows }, (_, w) => countRoutes(log, first + w * driftSeconds * 1000, first + (w + 1) * driftSeconds * 1000));
    return { stacks: n, driftSeconds, startup, windows: spans, windowsCpuSeconds };
  } finally {
    await ctl?.stop();
    await sim.close();
    origin.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
