/**
 * Requests spent on N unchanged stacks: the simulator is seeded with the stacks through the engine, so the
 * controller's start-up pass (a reconcile of every stack and a teardown sweep) finds nothing to write; its cost is
 * counted separately. Then, after half a drift interval of warm-up, the requests of several windows of one drift
 * interval each are counted from the simulator's log and split by call, and per second to show how flat they are.
 */
import { readFileSync } from "node:fs";
import { seededWorld, spawnController } from "./controller-run.ts";
import type { BenchController } from "./controller-run.ts";
import { nowMs } from "./fixture.ts";
import type { TimedRequest } from "./fixture.ts";

/** The requests of one time span, by call. */
export interface Counts {
  total: number;
  writes: number;
  projectAll: number;
  projectOne: number;
  applicationOne: number;
  /** Requests per second over the span's whole seconds: least, median, most. */
  perSecond: { min: number; median: number; max: number };
}

export interface SteadyResult {
  stacks: number;
  driftSeconds: number;
  latencyMs: number;
  startup: Counts & { seconds: number; controllerCpuSeconds: number };
  windows: Counts[];
  /** Controller CPU over the windows. */
  windowsCpuSeconds: number;
  rss: { readyMiB: number; endMiB: number; peakMiB: number; minutesAfterReady: number };
}

/** count splits the requests of [from, to) by call; 1 app per stack makes application.one one per reconcile. */
export function count(log: readonly TimedRequest[], from: number, to: number): Counts {
  const span = log.filter((r) => r.at >= from && r.at < to);
  const seconds = Math.max(1, Math.floor((to - from) / 1000));
  const buckets = new Array<number>(seconds).fill(0);
  for (const r of span) {
    const i = Math.floor((r.at - from) / 1000);
    if (i < seconds) buckets[i]! += 1;
  }
  buckets.sort((a, b) => a - b);
  const calls = (path: string) => span.filter((r) => r.path === path).length;
  return {
    total: span.length,
    writes: span.filter((r) => r.method !== "GET").length,
    projectAll: calls("/api/project.all"),
    projectOne: calls("/api/project.one"),
    applicationOne: calls("/api/application.one"),
    perSecond: { min: buckets[0]!, median: buckets[seconds >> 1]!, max: buckets[seconds - 1]! },
  };
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** VmHWM (peak resident memory) in MiB. */
export function peakMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** steady runs the scenario of the file comment. */
export async function steady(n: number, driftSeconds: number, windows: number, latencyMs: number): Promise<SteadyResult> {
  const { sim, log, origin, names } = await seededWorld(n, latencyMs);
  const started = nowMs();
  let ctl: BenchController | undefined;
  try {
    ctl = await spawnController(origin, sim.url, `${driftSeconds}s`);
    await ctl.ready(600_000);
    const ready = nowMs();
    const startup = { ...count(log, started, ready), seconds: (ready - started) / 1000, controllerCpuSeconds: cpuSeconds(ctl.pid) };
    const readyMiB = ctl.rssMiB();
    const first = ready + (driftSeconds * 1000) / 2;
    const end = first + windows * driftSeconds * 1000;
    await sleep(first - nowMs());
    const cpuFirst = cpuSeconds(ctl.pid);
    await sleep(end - nowMs() + 100);
    const windowsCpuSeconds = cpuSeconds(ctl.pid) - cpuFirst;
    const spans = Array.from({ length: windows }, (_, w) => count(log, first + w * driftSeconds * 1000, first + (w + 1) * driftSeconds * 1000));
    const rss = { readyMiB, endMiB: ctl.rssMiB(), peakMiB: peakMiB(ctl.pid), minutesAfterReady: (nowMs() - ready) / 60_000 };
    return { stacks: n, driftSeconds, latencyMs, startup, windows: spans, windowsCpuSeconds, rss };
  } finally {
    await ctl?.stop();
    await sim.close();
    origin.cleanup();
  }
}
