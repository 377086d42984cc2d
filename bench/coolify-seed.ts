/**
 * Benchmark: the Coolify simulator's own CPU while N stacks are seeded through the engine (plan + apply, as
 * `stackctl apply` does), so that a scale figure shows whether the test double or stackctl is the bound. The
 * simulator runs as `stackctl dev-server coolify` in its own process (no latency, deployments that take no time, a
 * rate limit that never binds); its CPU (user + system, /proc) is read before seeding and once it is idle again.
 * Each stack is one application with a port, two env variables and one domain (bench/lib/fixture.ts).
 * Usage: node bench/coolify-seed.ts [N...] (default 1000 10000). Prints a markdown table.
 */
import { readFileSync } from "node:fs";
import { startDevServer } from "./common.ts";
import { seedCoolify } from "./lib/coolify-world.ts";
import { stackName } from "./lib/fixture.ts";

const TOKEN = "1|sim-token";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Waits until the process spends less than 20 ms of CPU in half a second (its deployment queue has drained). */
async function idle(pid: number): Promise<number> {
  for (let last = cpuSeconds(pid); ; ) {
    await sleep(500);
    const now = cpuSeconds(pid);
    if (now - last < 0.02) return now;
    last = now;
  }
}

async function row(n: number) {
  const sim = await startDevServer(["coolify", "--rate-limit", "100000000", "--deploy-duration-ms", "0", "--token", TOKEN]);
  try {
    await sleep(500);
    const before = await idle(sim.pid);
    const client = process.cpuUsage();
    const seeded = await seedCoolify(sim.url, TOKEN, Array.from({ length: n }, (_, i) => stackName(i)));
    const used = process.cpuUsage(client);
    const simCpu = (await idle(sim.pid)) - before;
    return { n, ...seeded, simCpu, clientCpu: (used.user + used.system) / 1e6 };
  } finally {
    sim.stop();
  }
}

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 10_000];
console.log(`Node ${process.version}, ${process.platform}/${process.arch}\n`);
console.log("| stacks (1 app) | requests | seeding wall | simulator CPU | simulator CPU per request | client CPU (engine) |");
console.log("|---:|---:|---:|---:|---:|---:|");
for (const n of sizes) {
  const r = await row(n);
  const perRequest = `${((r.simCpu * 1e6) / r.requests).toFixed(0)} µs`;
  console.log(`| ${n.toLocaleString("en-US")} | ${r.requests.toLocaleString("en-US")} | ${r.wallSeconds.toFixed(1)} s | ${r.simCpu.toFixed(2)} s | ${perRequest} | ${r.clientCpu.toFixed(2)} s |`);
}
