/**
 * `stackctl logs`: the last deployment's log of one application or of every application of a stack, scrubbed of
 * the stack's secrets, and `--follow` while a deployment runs until it ends (exit 1 when it failed). Runs the
 * verbs in-process against the Dokploy simulator on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { run as apply } from "../cmd/apply.ts";
import { run as logs } from "../cmd/logs.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runVerb } from "./helpers/cli.ts";
import { shop } from "./helpers/e2e-scenarios.ts";
import type { ManifestDir } from "./helpers/stacks.ts";
import { manifestDir } from "./helpers/stacks.ts";
import { coolifyFixture } from "./helpers/targets.ts";

const SECRET = "l0gged-secret-value-99";

describe("stackctl logs", () => {
  let sim: DokploySimulator;
  let dir: ManifestDir;
  let env: Record<string, string>;
  const run = (verb: typeof apply, ...args: string[]) => runVerb(verb, args, { env, cwd: dir.dir });
  before(async () => {
    sim = await startDokploySimulator({ seed: 11 });
    dir = manifestDir();
    env = { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, SHOP_TOKEN: SECRET, STACKCTL_SECRETS_DIR: join(dir.dir, "none") };
    sim.store.settings.deploy.logLines = [`building with TOKEN=${SECRET}`, "step 2/2"];
    dir.put("shop", shop());
    const applied = await run(apply, "stacks");
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
  });
  after(async () => {
    await sim.close();
    dir.cleanup();
  });

  it("prints the last deployment's log of one application, scrubbed", async () => {
    const out = await run(logs, "shop", "web", "--path", "stacks");
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^Initializing deployment$/m);
    assert.match(out.stdout, /^building with TOKEN=\[redacted\]$/m);
    assert.match(out.stdout, /Docker Deployed: ✅/);
    assert.doesNotMatch(out.stdout + out.stderr, new RegExp(SECRET));
    const tail = await run(logs, "shop", "web", "--path", "stacks", "--lines", "1");
    assert.equal(tail.stdout, "Docker Deployed: ✅\n");
  });

  it("prints every application's log under a header, and says when there is nothing", async () => {
    const out = await run(logs, "shop", "--path", "stacks");
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^==> stack\/shop app\/web \(deployment \S+\) <==$[\s\S]*^==> stack\/shop app\/worker \(deployment \S+\) <==$/m);
    const none = await run(logs, "blog", "--path", "stacks");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /stack\/blog: no application of this stack on any target .*\[logs\.not-found\]/);
  });

  it("follows a running deployment to its end, exiting 1 when it failed", async () => {
    sim.store.settings.deployDurationMs = 2500;
    sim.store.settings.deploy.outcomes = { web: "fail-build" };
    dir.put("shop", shop("nginx:1.28"));
    const started = await run(apply, "stacks", "--wait=false");
    assert.equal(started.code, 0, started.stderr);
    const since = Date.now();
    const followed = await run(logs, "shop", "web", "--path", "stacks", "--follow");
    assert.equal(followed.code, 1, followed.stdout + followed.stderr);
    assert.ok(Date.now() - since >= 1000, "it followed the deployment while it ran, not only its end");
    assert.match(followed.stdout, /^Initializing deployment$/m);
    assert.match(followed.stdout, /manifest unknown/);
    assert.match(followed.stderr, /stack\/shop app\/web: deployment failed \(error\)/);
    assert.doesNotMatch(followed.stdout, new RegExp(SECRET));
  });
});

describe("stackctl logs on Coolify", () => {
  it("prints the visible entries of the last deployment's log, hidden ones left out", async () => {
    const target = await coolifyFixture()();
    const dir = manifestDir();
    try {
      const env = { ...target.env(), SHOP_TOKEN: SECRET, STACKCTL_SECRETS_DIR: join(dir.dir, "none") };
      dir.put("shop", shop());
      const applied = await runVerb(apply, ["stacks"], { env, cwd: dir.dir });
      assert.equal(applied.code, 0, applied.stderr + applied.stdout);
      const out = await runVerb(logs, ["shop", "web", "--path", "stacks"], { env, cwd: dir.dir });
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /^Starting deployment of web\.$/m);
      assert.match(out.stdout, /^Rolling update completed\.$/m);
      assert.doesNotMatch(out.stdout, /docker inspect coolify-helper/, "hidden entries are left out");
      assert.doesNotMatch(out.stdout, new RegExp(SECRET));
    } finally {
      await target.close();
      dir.cleanup();
    }
  });
});
