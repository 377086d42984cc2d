/**
 * Benchmark: the requests and bytes the controller (`stackctl run`, its own process) spends per drift interval on N
 * unchanged stacks on Coolify (bench/lib/coolify-steady.ts), by route, checked against the formula that bounds them
 * (see bench/README.md, "Requests per drift interval"). Each stack has one application (port, two env variables,
 * one domain) in a project of its own. Neither rate limit binds: the simulator's API_RATE_LIMIT and the client's
 * `requestsPerMinute` are raised far above the pace. Prints markdown tables; exits 1 when the mean window is more
 * than 10 % off the formula, a window misses drift checks, or `GET /applications` comes more often than the sweeps.
 * Usage: node bench/controller-coolify.ts [N...] (default 100 1000) [--drift SECONDS] (default 40) [--windows W] (3).
 */
import { parseArgs } from "node:util";
import { coolifySteady } from "./lib/coolify-steady.ts";
import type { RouteCounts } from "./lib/coolify-steady.ts";

const LATENCY_MS = 3;
const { values, positionals } = parseArgs({ allowPositionals: true, options: { drift: { type: "string", default: "40" }, windows: { type: "string", default: "3" } } });
const sizes = positionals.length > 0 ? positionals.map(Number) : [100, 1000];
const drift = Number(values.drift);
const windows = Number(values.windows);

// The routes of a steady interval, in the order a reconcile and a sweep send them.
const ROUTES = ["GET /projects/{uuid}", "GET /projects/{uuid}/{environment}", "GET /applications/{uuid}/envs", "GET /applications/{uuid}/storages", "GET /projects", "GET /applications", "GET /services", "GET /databases"];
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
const int = (x: number) => Math.round(x).toLocaleString("en-US");

/**
 * The formula of bench/README.md, N(1 + E + 2A) + P + 4, for N stacks of one application each in projects of their
 * own (E = 1 environment and A = 1 application per project, P = N): per stack its project, its environment's details
 * and its application's envs and storages; once per interval the sweep's list of projects, its P project reads and
 * the team's applications, services and databases.
 */
function formula(n: number): number {
  const perStack = 1 + 1 + 2 * 1;
  const sweep = 1 + n + 3;
  return n * perStack + sweep;
}

function row(label: string, seconds: number, c: RouteCounts): string {
  const cells = ROUTES.map((r) => {
    const e = c.byRoute.get(r);
    return e ? `${int(e.count)} (${kib(e.bytes)})` : "0";
  });
  const other = c.total - ROUTES.reduce((sum, r) => sum + (c.byRoute.get(r)?.count ?? 0), 0);
  return `| ${label} | ${seconds.toFixed(1)} s | ${int(c.total)} | ${kib(c.bytes)} | ${c.writes} | ${cells.join(" | ")} | ${other} | ${c.perSecond.min} / ${c.perSecond.median} / ${c.perSecond.max} |`;
}

console.log(`Node ${process.version}, ${process.platform}/${process.arch}; drift interval ${drift} s (scaled down from 10m), ${LATENCY_MS} ms latency\n`);
let failed = false;
for (const n of sizes) {
  const r = await coolifySteady(n, drift, windows, LATENCY_MS);
  console.log(`${int(n)} unchanged stacks (formula: ${int(formula(n))} requests per interval):\n`);
  console.log(`| span | length | requests | bytes | writes | ${ROUTES.join(" | ")} | other | per second: min / median / max |`);
  console.log(`|---|---:|---:|---:|---:|${ROUTES.map(() => "---:").join("|")}|---:|---:|`);
  console.log(row("start-up pass (to /readyz 200)", r.startup.seconds, r.startup));
  r.windows.forEach((w, i) => console.log(row(`drift window ${i + 1}`, drift, w)));
  const mean = r.windows.reduce((s, w) => s + w.total, 0) / r.windows.length;
  const meanBytes = r.windows.reduce((s, w) => s + w.bytes, 0) / r.windows.length;
  const lists = Math.max(...r.windows.map((w) => w.byRoute.get("GET /applications")?.count ?? 0));
  console.log(`\nMean per window: ${int(mean)} requests (${(mean / formula(n)).toFixed(3)}× the formula), ${kib(meanBytes)}, ${(meanBytes / n / 1024).toFixed(2)} KiB per stack; at most ${lists} GET /applications in a window; controller CPU over the windows ${r.windowsCpuSeconds.toFixed(1)} s.\n`);
  // Every window holds each stack's drift check once (±10 %: the checks are jittered) and at most two sweep starts.
  const perStack = ["GET /projects/{uuid}/{environment}", "GET /applications/{uuid}/envs", "GET /applications/{uuid}/storages"];
  const unevenChecks = r.windows.some((w) => perStack.some((p) => Math.abs((w.byRoute.get(p)?.count ?? 0) / n - 1) > 0.1));
  if (Math.abs(mean / formula(n) - 1) > 0.1 || unevenChecks || lists > 2) failed = true;
}
if (failed) {
  console.error("FAIL: the mean window is more than 10 % off the formula, a window missed drift checks, or GET /applications was listed more than twice in a window");
  process.exit(1);
}
