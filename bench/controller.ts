/**
 * Benchmark of the controller (`stackctl run`, a separate process) against the Dokploy simulator (in this process,
 * so that every request it receives is timed): (1) webhook → first write and → applied, for a new stack committed
 * next to N stacks in sync; (2) the requests the controller spends on 1,000 unchanged stacks, per drift interval
 * (scaled down) and extrapolated per minute at the default 10m; (3) its resident memory at 1,000 and 10,000 stacks.
 * Each stack has one application (nginx, a port, two env variables, one domain); stacks are seeded through the
 * engine, as `stackctl apply` would, so that the controller starts with everything in sync.
 * Prints markdown tables. Usage: node bench/controller.ts [webhook] [requests] [memory] (default: all three).
 */
import { memoryRow } from "./lib/memory.ts";
import { steady } from "./lib/steady.ts";
import type { Counts } from "./lib/steady.ts";
import { webhookRow } from "./lib/webhook.ts";

const LATENCY_MS = 3;
const parts = new Set(process.argv.slice(2));
const all = parts.size === 0;
const ms = (x: number) => `${Math.round(x)} ms`;
const s = (x: number) => `${x.toFixed(1)} s`;
const mib = (x: number) => `${Math.round(x)} MiB`;
const int = (x: number) => Math.round(x).toLocaleString("en-US");

console.log(`Node ${process.version}, ${process.platform}/${process.arch}\n`);

if (all || parts.has("webhook")) {
  console.log(`| stacks in sync | simulator latency | repeats | hook → revision loaded: median | max | hook → first write: median | max | hook → applied: median | max | writes for the new stack |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const [n, latency] of [[10, 3], [100, 3], [10, 50], [100, 50]] as const) {
    const r = await webhookRow(n, latency, 5);
    console.log(`| ${r.stacks} | ${latency} ms | ${r.repeats} | ${ms(r.loaded.median)} | ${ms(r.loaded.max)} | ${ms(r.firstWrite.median)} | ${ms(r.firstWrite.max)} | ${ms(r.applied.median)} | ${ms(r.applied.max)} | ${r.writes} |`);
  }
  console.log();
}

if (all || parts.has("requests")) {
  const drift = 40;
  const r = await steady(1000, drift, 3, LATENCY_MS);
  const perMinute = (c: Counts) => c.total / (600 / 60); // one drift interval's requests spread over the default 10m
  const row = (label: string, c: Counts, seconds: number) =>
    `| ${label} | ${s(seconds)} | ${int(c.total)} | ${c.writes} | ${c.projectAll} | ${c.projectOne} | ${c.applicationOne} | ${c.perSecond.min} / ${c.perSecond.median} / ${c.perSecond.max} | ${int(perMinute(c))} |`;
  console.log(`${r.stacks} unchanged stacks, drift interval ${drift} s (scaled down from 10m), simulator latency ${r.latencyMs} ms:\n`);
  console.log(`| span | length | requests | writes | project.all | project.one | application.one | per second: min / median / max | per minute at a 10m drift interval |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
  console.log(row("start-up pass (to /readyz 200)", r.startup, r.startup.seconds));
  r.windows.forEach((w, i) => console.log(row(`drift window ${i + 1}`, w, drift)));
  console.log(`\nController CPU: ${s(r.startup.controllerCpuSeconds)} to /readyz 200 (process total), ${s(r.windowsCpuSeconds)} over the ${r.windows.length} drift windows.`);
  console.log(`Memory with ${r.stacks} stacks: ${mib(r.rss.readyMiB)} at /readyz 200, ${mib(r.rss.endMiB)} ${r.rss.minutesAfterReady.toFixed(1)} min later, peak ${mib(r.rss.peakMiB)}.\n`);
}

if (all || parts.has("memory")) {
  console.log(`| stacks | seeding (engine + commit) | RSS, revision loaded | first sync (/readyz 200) | stacks reconciled | RSS then | RSS after 30 s idle | peak RSS |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const [n, budget] of [[10, 60], [1000, 120], [10_000, 400]] as const) {
    const r = await memoryRow(n, budget, 30, LATENCY_MS);
    const ready = r.readySeconds === null ? `not within ${budget} s` : s(r.readySeconds);
    console.log(`| ${int(n)} | ${s(r.seedSeconds)} | ${mib(r.loadedMiB)} | ${ready} | ${int(r.reconciled)} | ${mib(r.atEndMiB)} | ${r.idleMiB === null ? "—" : mib(r.idleMiB)} | ${mib(r.peakMiB)} |`);
  }
  console.log();
}
