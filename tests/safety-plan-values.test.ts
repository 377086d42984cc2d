/**
 * Issue #9, "the server's value is never printed": a secret that becomes a literal, or a value set by hand on the
 * server, shows as `(value on server hidden) → "changeme"` in diff's text and JSON. Real `stackctl` processes
 * against the Dokploy simulator.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, it } from "node:test";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runCli } from "./helpers/cli.ts";
import { scratchDir, stackYaml } from "./helpers/controller.ts";

let sim: DokploySimulator;
let scratch: ReturnType<typeof scratchDir>;
beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 5 });
  scratch = scratchDir();
});
afterEach(async () => {
  await sim.close();
  scratch.cleanup();
});

const write = (env: Record<string, unknown>) =>
  writeFileSync(join(scratch.dir, "shop.yaml"), stackYaml("shop", { project: "shop", applications: [{ name: "api", image: "nginx:1.27", env }] }));

it("a secret that becomes a literal, and a value set by hand, never print the server's value", async () => {
  const env = { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, DB_PASSWORD: "hunter2-on-server" };
  write({ DB_PASSWORD: { secret: "DB_PASSWORD" }, LEVEL: "info" });
  assert.equal((await runCli(["apply", "shop.yaml"], { env, cwd: scratch.dir })).code, 0);
  const app = sim.store.findApplicationByName("api")!;
  app.env = String(app.env).replace("LEVEL=info", "LEVEL=set-by-hand-9");
  write({ DB_PASSWORD: "changeme", LEVEL: "info" });
  const text = await runCli(["diff", "shop.yaml"], { env: { ...env, DB_PASSWORD: undefined }, cwd: scratch.dir });
  assert.equal(text.code, 1, text.stderr);
  assert.match(text.stdout, /env\.DB_PASSWORD: \(value on server hidden\) → "changeme"/);
  assert.match(text.stdout, /env\.LEVEL: \(value on server hidden\) → "info"/);
  const json = await runCli(["diff", "--format", "json", "shop.yaml"], { env: { ...env, DB_PASSWORD: undefined }, cwd: scratch.dir });
  assert.match(json.stdout, /"before": "\(value on server hidden\)"/);
  for (const out of [text.stdout + text.stderr, json.stdout + json.stderr]) {
    assert.ok(!out.includes("hunter2-on-server") && !out.includes("set-by-hand-9"), out);
  }
});
