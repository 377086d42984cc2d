/**
 * `spec.suspend` in the CLI verbs: a suspended stack is neither created nor torn down by `apply`, as in the
 * controller, and `diff` says it was left alone.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, it } from "node:test";
import { run as apply } from "../cmd/apply.ts";
import { run as diff } from "../cmd/diff.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runVerb } from "./helpers/cli.ts";
import type { ManifestDir } from "./helpers/stacks.ts";
import { manifestDir } from "./helpers/stacks.ts";

let sim: DokploySimulator;
let dir: ManifestDir;
const web = { applications: [{ name: "web", image: "nginx:1.27" }] };
const verb = (v: typeof apply) => runVerb(v, ["stacks"], { env: { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey }, cwd: dir.dir });

beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 5 });
  dir = manifestDir();
});
afterEach(async () => {
  await sim.close();
  dir.cleanup();
});

it("leaves a suspended stack alone: not created, and not torn down once it exists", async () => {
  dir.put("kept", { project: "kept", ...web });
  dir.put("frozen", { project: "frozen", suspend: true, ...web });
  const first = await verb(apply);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /note: stack\/frozen is suspended \(spec\.suspend\): left untouched/);
  assert.equal(sim.store.findProjectByName("frozen"), undefined);
  dir.put("frozen", { project: "frozen", ...web });
  assert.equal((await verb(apply)).code, 0);
  assert.ok(sim.store.findProjectByName("frozen"), "created once resumed");
  dir.put("frozen", { project: "frozen", suspend: true, ...web, applications: [{ name: "web", image: "nginx:1.28" }] });
  const planned = await verb(diff);
  assert.doesNotMatch(planned.stdout, /frozen/, "a suspended stack is neither updated nor torn down");
  assert.equal(planned.code, 0);
});
