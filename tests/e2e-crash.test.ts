/**
 * The CLI as a real process: exit codes and JSON output of diff, and an apply killed halfway (SIGKILL) that the
 * next apply converges with no duplicates.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { afterEach, beforeEach, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runCli, STACKCTL } from "./helpers/cli.ts";
import { reaped } from "./helpers/processes.ts";
import type { ManifestDir } from "./helpers/stacks.ts";
import { manifestDir } from "./helpers/stacks.ts";

let sim: DokploySimulator;
let dir: ManifestDir;
const env = () => ({ DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, STACKCTL_SECRETS_DIR: `${dir.dir}/none` });

beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 11 });
  dir = manifestDir();
  for (const name of ["one", "two", "three", "four", "five", "six"]) {
    dir.put(name, { applications: ["a", "b", "c"].map((app) => ({ name: app, image: "nginx:1.27", ports: [80], domains: [{ host: `${app}.${name}.example.com` }] })) });
  }
});
afterEach(async () => {
  await sim.close();
  dir.cleanup();
});

it("diff exits 1 with changes, 0 without, and prints stable JSON", async () => {
  const pending = await runCli(["diff", "stacks", "--format", "json"], { env: env(), cwd: dir.dir });
  assert.equal(pending.code, 1, pending.stderr);
  const doc = JSON.parse(pending.stdout);
  assert.equal(doc.targets[0].target, "default");
  assert.equal(doc.targets[0].summary.create, 6 + 6 + 18 + 18, "projects, environments, applications, domains");
  const applied = await runCli(["apply", "stacks"], { env: env(), cwd: dir.dir });
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /^Apply: .* stacks: 0 unchanged, 0 failed\. Deployments: 18 running, 0 failed, 0 timed out\.$/m);
  const clean = await runCli(["diff", "stacks"], { env: env(), cwd: dir.dir });
  assert.equal(clean.code, 0, clean.stdout);
  const usage = await runCli(["diff", "--format", "yaml"], { env: env(), cwd: dir.dir });
  assert.equal(usage.code, 2);
});

it("an apply killed halfway converges on the next run with no duplicates", async () => {
  sim.setFaults({ latencyMs: 15 });
  const child = reaped(spawn(process.execPath, [STACKCTL, "apply", "stacks", "--concurrency", "3"], { cwd: dir.dir, env: { PATH: process.env.PATH, ...env() } }));
  const writes = () => sim.requests.filter((r) => r.method === "POST").length;
  for (let i = 0; i < 400 && writes() < 25; i += 1) await sleep(10);
  child.kill("SIGKILL");
  await new Promise((resolve) => child.on("close", resolve));
  assert.ok(writes() >= 25 && sim.store.applications.length < 18, `killed halfway (${writes()} writes, ${sim.store.applications.length} apps)`);
  sim.setFaults({ latencyMs: 0 });
  const again = await runCli(["apply", "stacks"], { env: env(), cwd: dir.dir });
  assert.equal(again.code, 0, again.stderr + again.stdout);
  assert.equal(sim.store.projects.length, 6);
  assert.equal(sim.store.applications.length, 18);
  assert.equal(sim.store.domains.length, 18);
  const clean = await runCli(["diff", "stacks"], { env: env(), cwd: dir.dir });
  assert.equal(clean.code, 0, clean.stdout);
});
