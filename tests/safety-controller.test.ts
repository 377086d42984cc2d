/**
 * Issue #9 under `stackctl run` (a real process, directory source, Dokploy simulator): the hostPath policy and the
 * refusal of the controller's own credentials apply to the controller as to `apply` — the stacks that break them
 * stall with the reason in their status, nothing of them is written, and the other stacks are applied.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";

type Stacks = { items: { name: string; lastError: string | null; conditions: { type: string; status: string; reason: string }[] }[] };

it("stackctl run stalls a stack that mounts / against the policy, or reads a credential, and applies the others", async () => {
  const sim = await startDokploySimulator({ seed: 15 });
  const scratch = scratchDir();
  const stacks = join(scratch.dir, "stacks");
  mkdirSync(stacks);
  const config = { apiVersion: "stackctl.dev/v1alpha1", kind: "ControllerConfig", policy: { hostPaths: { allow: ["/srv/**"] } }, targets: [{ name: "main", provider: "dokploy", url: sim.url, apiKey: { fromEnv: "KEY" } }] };
  writeFileSync(join(scratch.dir, "stackctl.yaml"), JSON.stringify(config));
  writeFileSync(join(stacks, "root.yaml"), stackYaml("root", { applications: [{ name: "r", image: "nginx:1.27", volumes: [{ hostPath: "/", mountPath: "/host" }] }] }));
  writeFileSync(join(stacks, "thief.yaml"), stackYaml("thief", { applications: [{ name: "t", image: "nginx:1.27", env: { K: { secret: "STACKCTL_WEBHOOK_TOKEN" } } }] }));
  writeFileSync(join(stacks, "good.yaml"), stackYaml("good", { applications: [{ name: "g", image: "nginx:1.27", volumes: [{ hostPath: "/srv/good", mountPath: "/data" }] }] }));
  const env = { KEY: sim.apiKey, STACKCTL_WEBHOOK_TOKEN: "webhook-token-for-tests" };
  const c = await startController(["--config", join(scratch.dir, "stackctl.yaml"), "--dir", stacks, "--data-dir", join(scratch.dir, "data"), "--interval", "1h"], env, scratch.dir);
  try {
    const status = await waitUntil("all three reported", async () => {
      const s = await c.json<Stacks>("/api/v1/stacks");
      return s.items.length === 3 && s.items.every((i) => i.conditions.length > 0) && sim.store.findProjectByName("good") ? s : null;
    }, 15_000);
    const byName = new Map(status.items.map((i) => [i.name, i]));
    assert.match(byName.get("root")!.lastError!, /hostPath \/ is not allowed by the ControllerConfig's policy\.hostPaths\.allow.*\[policy\.host-path\]/);
    assert.match(byName.get("thief")!.lastError!, /STACKCTL_WEBHOOK_TOKEN may not be read by a manifest/);
    assert.equal(sim.store.findProjectByName("root"), undefined);
    assert.equal(sim.store.findProjectByName("thief"), undefined);
    assert.ok(!JSON.stringify(c.logs).includes("webhook-token-for-tests"));
  } finally {
    await c.stop();
    await sim.close();
    scratch.cleanup();
  }
});
