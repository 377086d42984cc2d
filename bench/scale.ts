/**
 * Benchmark of the controller at scale (issue 13): N stacks in sync on the Dokploy simulator (in this process), then
 * `stackctl run` started as its own process. Reports the first sync (to /readyz 200: wall time, the controller's CPU
 * user time, requests), resident memory and V8 heap when ready and after some idle time (steady), and peaks (VmHWM;
 * the heap's highest sample, read from /metrics every second). Usage: node bench/scale.ts [N...] (default 1000).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { seededWorld, spawnController } from "./lib/controller-run.ts";
import type { BenchController } from "./lib/controller-run.ts";
import { nowMs } from "./lib/fixture.ts";
import { peakMiB } from "./lib/steady.ts";

const LATENCY_MS = 3;
const IDLE_SECONDS = 20;
const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The built CLI, as the image runs it: the sources would add the TypeScript loader's own memory to every figure. */
const ENTRY = fileURLToPath(new URL("../dist/cmd/stackctl.js", import.meta.url));
/** Node options of the controller, as the image sets them (Dockerfile); `BENCH_NODE_OPTIONS` overrides, `""` for none. */
const NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? "--max-semi-space-size=8";
/** glibc's malloc settings, as the image sets them (Dockerfile); `BENCH_MALLOC=default` leaves glibc's own. */
const MALLOC: Record<string, string> = process.env.BENCH_MALLOC === "default" ? {} : { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "4096", MALLOC_TRIM_THRESHOLD_: "65536" };
const CONTROLLER_ENV: Record<string, string> = { ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}), ...MALLOC };

/** CPU user time of a process so far, in seconds (utime of /proc/PID/stat). */
function cpuUserSeconds(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[11]) / 100;
}

/** The controller's own heap, from its /metrics. */
async function heapMiB(ctl: BenchController): Promise<number> {
  const text = (await ctl.proc.get("/metrics")).text;
  return Number(/^nodejs_heap_size_used_bytes (\d+)/m.exec(text)?.[1] ?? NaN) / MiB;
}

interface ScaleRow {
  stacks: number;
  firstSyncSeconds: number;
  cpuUserSeconds: number;
  requests: number;
  readyRssMiB: number;
  readyHeapMiB: number;
  idleRssMiB: number;
  idleHeapMiB: number;
  peakRssMiB: number;
  peakHeapMiB: number;
}

async function row(n: number): Promise<ScaleRow> {
  const { sim, log, origin } = await seededWorld(n, LATENCY_MS);
  const from = log.length;
  const ctl = await spawnController(origin, sim.url, "10m", { entry: ENTRY, env: CONTROLLER_ENV });
  try {
    const started = nowMs();
    let peakHeap = 0;
    let ready = false;
    const sampler = (async () => {
      while (!ready) {
        peakHeap = Math.max(peakHeap, await heapMiB(ctl).catch(() => 0));
        await sleep(1000);
      }
    })();
    await ctl.ready(Math.max(600_000, n * 100));
    const firstSyncSeconds = (nowMs() - started) / 1000;
    const cpuUser = cpuUserSeconds(ctl.pid);
    const requests = log.length - from;
    ready = true;
    await sampler;
    const readyRssMiB = ctl.rssMiB();
    const readyHeapMiB = await heapMiB(ctl);
    await sleep(IDLE_SECONDS * 1000);
    const idleHeapMiB = await heapMiB(ctl);
    return {
      stacks: n, firstSyncSeconds, cpuUserSeconds: cpuUser, requests, readyRssMiB, readyHeapMiB, idleRssMiB: ctl.rssMiB(), idleHeapMiB,
      peakRssMiB: peakMiB(ctl.pid), peakHeapMiB: Math.max(peakHeap, readyHeapMiB, idleHeapMiB),
    };
  } finally {
    await ctl.stop();
    await sim.close();
    origin.cleanup();
  }
}

const sizes = process.argv.slice(2).map(Number);
execFileSync("npm", ["run", "--silent", "build"], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "inherit" });
console.log(`Node ${process.version}, ${process.platform}/${process.arch}, simulator latency ${LATENCY_MS} ms, 4 workers, 1 application per stack, NODE_OPTIONS="${NODE_OPTIONS}", ${Object.entries(MALLOC).map(([k, v]) => `${k}=${v}`).join(" ") || "glibc's malloc defaults"}\n`);
console.log("| stacks | first sync (to /readyz 200) | controller CPU (user) to ready | requests | RSS when ready | heap when ready | RSS after 20 s idle | heap after 20 s idle | peak RSS | peak heap |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const n of sizes.length > 0 ? sizes : [1000]) {
  const r = await row(n);
  const m = (x: number) => `${Math.round(x)} MiB`;
  console.log(`| ${n.toLocaleString("en")} | ${r.firstSyncSeconds.toFixed(1)} s | ${r.cpuUserSeconds.toFixed(1)} s | ${r.requests.toLocaleString("en")} | ${m(r.readyRssMiB)} | ${m(r.readyHeapMiB)} | ${m(r.idleRssMiB)} | ${m(r.idleHeapMiB)} | ${m(r.peakRssMiB)} | ${m(r.peakHeapMiB)} |`);
}
