/**
 * Benchmark: is plan() linear in the size of the fleet? It plans N stacks of 3 applications against an observed
 * state that already holds them all (as after an apply), with 1 % of the stacks new and 1 % removed from the
 * manifests, in this process, with no I/O: the CPU time measured is plan()'s alone. It prints a table and FAILS
 * (exit 1) when the CPU time (main thread) at 10,000 stacks exceeds 12 times that at 1,000, which is what a plan that scans
 * the whole observed state per stack (O(stacks × projects)) does.
 * Usage: node bench/plan.ts [N...] (default 1000 10000; the ratio is checked when both are given).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildDesired } from "../controller/desired.ts";
import type { ActualProject, ActualState, DesiredStack } from "../controller/model.ts";
import { formatMarker } from "../controller/ownership.ts";
import { plan } from "../controller/plan/index.ts";
import { countChanges } from "../controller/plan/types.ts";
import { benchStacks } from "./common.ts";

const INSTANCE = "bench";
const MAX_RATIO = 12;

/** The observed state after `stacks` were applied: one owned project, environment and three apps per stack. */
function appliedState(stacks: readonly DesiredStack[]): ActualState {
  const projects: ActualProject[] = stacks.map((s, i) => {
    const owner = { instance: INSTANCE, stack: s.name };
    const marker = formatMarker(owner, s.description);
    return {
      id: `p${i}`,
      name: s.project,
      description: marker,
      owner,
      detailed: true,
      environments: [{
        id: `e${i}`,
        name: s.environment,
        isDefault: true,
        description: marker,
        owner,
        applications: s.applications.map((a, j) => ({
          id: `a${i}-${j}`,
          name: a.name,
          description: formatMarker(owner),
          owner,
          spec: structuredClone(a.spec),
          domains: a.domains.map((d, k) => ({ ...d, id: `d${i}-${j}-${k}` })),
        })),
        others: [],
      }],
    };
  });
  return { projects };
}

/**
 * The main thread's CPU time, user + system, in ms. User time alone is not a measure at this scale: the kernel splits
 * a thread's exact run time into user and system by the tick (4 ms) that saw it, so a 12 ms plan's user time jumped
 * between 11.7 and 15.4 ms from run to run. The thread's own clock also leaves out the compiler's threads.
 */
function threadCpu(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

interface Measure {
  n: number;
  cpuMs: number;
  wallMs: number;
  changes: number;
}

/** The input of one size: every stack desired but the last 1 %, observed all but the first 1 %. */
function scenario(n: number): () => Promise<Measure> {
  const all = buildDesired(benchStacks(n), { targets: ["bench"], resolveSecret: () => undefined, describeSecret: () => "" }).stacks;
  const onePercent = Math.max(1, Math.floor(n / 100));
  const actual = appliedState(all.slice(onePercent)); // the first 1 % are new
  const desired = all.slice(0, n - onePercent); // the last 1 % were removed from the manifests
  return async () => {
    (globalThis as { gc?: () => void }).gc?.(); // each run starts from a collected heap (node --expose-gc)
    await new Promise((r) => setTimeout(r, 50)); // and after the collector's sweeping of it is done
    const cpu = threadCpu();
    const start = performance.now();
    const result = plan({ target: "bench", instance: INSTANCE, desired, failedStacks: [], actual, allowMassDeletion: false, unsupported: () => [] });
    const used = threadCpu() - cpu;
    const c = countChanges(result);
    return { n, cpuMs: used, wallMs: performance.now() - start, changes: c.create + c.update + c.delete + c.deploy + c.adopt };
  };
}

/** Measures one size in this process: the best of `rounds` runs after a warm-up. */
async function measureHere(n: number, rounds: number): Promise<Measure> {
  const run = scenario(n);
  for (let i = 0; i < 3; i++) await run(); // warm-up: the JIT compiles plan() before anything is measured
  let best: Measure | null = null;
  for (let r = 0; r < rounds; r++) {
    const m = await run();
    if (best === null || m.cpuMs < best.cpuMs) best = m;
  }
  return best!;
}

/**
 * Each size runs in a process of its own, as each `diff` would: a heap holding 10,000 stacks slows every later
 * measure in the same process (collector and caches), which is not what the ratio is about. The collector runs on
 * the main thread only (`--single-threaded-gc`), so that the CPU measured is the plan's own work and its garbage,
 * not helper threads still sweeping a heap ten times larger.
 */
function measureInChild(n: number): Measure {
  const out = execFileSync(process.execPath, ["--expose-gc", "--single-threaded-gc", fileURLToPath(import.meta.url), "--one", String(n)], { encoding: "utf8" });
  return JSON.parse(out) as Measure;
}

const args = process.argv.slice(2);
if (args[0] === "--one") {
  process.stdout.write(JSON.stringify(await measureHere(Number(args[1]), 9)));
} else {
  report(args.map(Number));
}

function report(sizes: number[]): void {
  // Three processes per size, interleaved so that a burst of load from other work hits every size alike; the best
  // of each size is the least disturbed measure of the work itself.
  const wanted = sizes.length > 0 ? sizes : [1000, 10000];
  const best = new Map<number, Measure>();
  for (let round = 0; round < 3; round++) {
    for (const n of wanted) {
      const m = measureInChild(n);
      if (!best.has(n) || m.cpuMs < best.get(n)!.cpuMs) best.set(n, m);
    }
  }
  const results = wanted.map((n) => best.get(n)!);
  console.log("| stacks (×3 apps) | plan CPU (main thread), best of 3 × 9 runs | wall | changes planned |");
  console.log("|---:|---:|---:|---:|");
  for (const r of results) console.log(`| ${r.n.toLocaleString("en")} | ${r.cpuMs.toFixed(1)} ms | ${r.wallMs.toFixed(1)} ms | ${r.changes} |`);
  const small = results.find((r) => r.n === 1000);
  const large = results.find((r) => r.n === 10000);
  if (small && large) {
    const ratio = large.cpuMs / small.cpuMs;
    console.log(`\n10,000 / 1,000 CPU ratio: ${ratio.toFixed(2)} (linear is 10; allowed ≤ ${MAX_RATIO})`);
    if (ratio > MAX_RATIO) {
      console.error(`FAIL: plan() is not linear: 10,000 stacks cost ${ratio.toFixed(1)}× the CPU of 1,000 (allowed ${MAX_RATIO}×)`);
      process.exitCode = 1;
    }
  }
}
