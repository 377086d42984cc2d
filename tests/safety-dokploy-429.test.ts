/**
 * Issue #9: Dokploy's 429 means the request was not processed, so creates (and deploys) are retried after
 * Retry-After like every other request, as on Coolify; before, a storm of 429s never converged. `stackctl apply` as a
 * real process against the Dokploy simulator answering 429 to a share of the requests.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runCli } from "./helpers/cli.ts";
import { scratchDir, stackYaml } from "./helpers/controller.ts";

it("an apply through a storm of 429s creates everything once, in one run", async () => {
  const sim = await startDokploySimulator({ seed: 11, rateLimit429Rate: 0.4 });
  const scratch = scratchDir();
  try {
    const apps = ["web", "api"].map((name) => ({ name, image: "nginx:1.27", ports: [80], domains: [{ host: `${name}.shop.example.com` }] }));
    writeFileSync(join(scratch.dir, "shop.yaml"), stackYaml("shop", { project: "shop", applications: apps }));
    const r = await runCli(["apply", "shop.yaml"], { env: { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey }, cwd: scratch.dir });
    const rejected = sim.requests.filter((q) => q.status === 429 && q.method === "POST").length;
    assert.ok(rejected > 0, "the storm hit some writes");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(sim.store.projects.filter((p) => p.name === "shop").length, 1);
    assert.deepEqual(sim.store.applications.map((a) => a.name).sort(), ["api", "web"]);
    assert.equal(sim.store.domains.length, 2);
  } finally {
    await sim.close();
    scratch.cleanup();
  }
});
