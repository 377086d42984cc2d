/**
 * Benchmark: `stackctl diff` of N stacks of 3 applications, as a process, against the Dokploy simulator (in this
 * process, no latency) holding them all in sync (applied beforehand through the engine). Reports the diff's CPU user
 * time (robust to other load on the machine), its wall time and the requests it made. The observed state is O(N)
 * and plan() indexes it once, so the CPU should grow linearly.
 * Usage: node bench/diff.ts [N...] (default 100 1000).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { applyPlan } from "../controller/apply.ts";
import { buildDesired } from "../controller/desired.ts";
import { planTargets } from "../controller/engine.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { benchManifests, benchStacks } from "./common.ts";

const ENTRY = fileURLToPath(new URL("../cmd/stackctl.ts", import.meta.url));

async function row(n: number) {
  const sim = await startDokploySimulator({ seed: 2 });
  sim.store.settings.deploy.buildsConcurrency = 1000;
  sim.store.settings.deployDurationMs = 1;
  const dir = mkdtempSync(join(tmpdir(), "stackctl-bench-diff-"));
  try {
    mkdirSync(join(dir, "stacks"));
    for (const m of benchManifests(n)) writeFileSync(join(dir, "stacks", `${m.metadata.name}.yaml`), stringify(m));
    const provider = createDokployProvider({ url: sim.url, apiKey: sim.apiKey, maxConcurrent: 32 });
    const desired = buildDesired(benchStacks(n), { targets: ["default"], resolveSecret: () => undefined, describeSecret: () => "" }).stacks;
    const [target] = await planTargets({ instance: "default", targets: [{ name: "default", provider }], desired, failedStacks: [], suspendTeardown: false, allowMassDeletion: false });
    await applyPlan(target!.plan!, provider, { concurrency: 32 });
    await provider.close();
    await sim.store.settled();
    const before = sim.requests.length;
    // bash's `time` reports the child's own user CPU, which the simulator (in this process) does not add to.
    const script = `TIMEFORMAT='%U %R'; time node ${JSON.stringify(ENTRY)} diff stacks --format json > /dev/null`;
    const child = spawn("bash", ["-c", script], { cwd: dir, env: { ...process.env, DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const times = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(stderr);
    if (code !== 0 || !times) throw new Error(`diff exited ${code}: ${stderr}`);
    return { n, cpuUser: Number(times[1]), wall: Number(times[2]), requests: sim.requests.length - before };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
const sizes = process.argv.slice(2).map(Number);
console.log("| stacks (×3 apps) | `diff` CPU (user) | wall | requests |");
console.log("|---:|---:|---:|---:|");
for (const n of sizes.length > 0 ? sizes : [100, 1000]) {
  const r = await row(n);
  console.log(`| ${n.toLocaleString("en")} | ${r.cpuUser.toFixed(2)} s | ${r.wall.toFixed(2)} s | ${r.requests.toLocaleString("en")} |`);
}
