/**
 * Issue #9: `/readyz` is not ready while the status cannot be saved, and ready again once it can. `stackctl run` as
 * a real process with a directory source; the status directory is replaced by a file to make writes fail (the
 * tests run as root, so permissions would not).
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";

it("/readyz says not ready while status cannot be saved", async () => {
  const sim = await startDokploySimulator({ seed: 13 });
  const scratch = scratchDir();
  const stacks = join(scratch.dir, "stacks");
  const statusDir = join(scratch.dir, "data", "status");
  mkdirSync(stacks);
  const write = (image: string) => writeFileSync(join(stacks, "a.yaml"), stackYaml("a", { applications: [{ name: "web", image }] }));
  write("nginx:1.27");
  const c = await startController(["--dir", stacks, "--data-dir", join(scratch.dir, "data"), "--interval", "1s"], { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey }, scratch.dir);
  try {
    await waitUntil("ready", async () => (await c.get("/readyz")).status === 200, 15_000);
    rmSync(statusDir, { recursive: true, force: true });
    writeFileSync(statusDir, "not a directory");
    write("nginx:1.28");
    const down = await waitUntil("not ready", async () => {
      const r = await c.get("/readyz");
      return r.status === 503 ? r : null;
    }, 15_000);
    assert.match(down.text, /status cannot be saved/);
    rmSync(statusDir, { force: true });
    mkdirSync(statusDir);
    await waitUntil("ready again", async () => (await c.get("/readyz")).status === 200, 30_000);
  } finally {
    await c.stop();
    await sim.close();
    scratch.cleanup();
  }
});
