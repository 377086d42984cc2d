/**
 * Saved plans: `diff --out` writes a plan without any secret value; `apply FILE` applies exactly it, and refuses,
 * writing nothing, when a manifest or the server changed in between, or when the file is not a valid saved plan.
 * The verbs run in-process on real files against the Dokploy simulator on 127.0.0.1; fingerprints are checked on
 * plain data.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { run as apply } from "../cmd/apply.ts";
import { run as diff } from "../cmd/diff.ts";
import { fingerprints, touchedIds } from "../controller/planfile/fingerprint.ts";
import { plan } from "../controller/plan/index.ts";
import { runVerb } from "./helpers/cli.ts";
import { shop } from "./helpers/e2e-scenarios.ts";
import { app, converged, planInput, stack } from "./helpers/plan-builders.ts";
import type { ManifestDir } from "./helpers/stacks.ts";
import { manifestDir } from "./helpers/stacks.ts";
import type { TargetFixture } from "./helpers/targets.ts";
import { coolifyFixture, dokployFixture } from "./helpers/targets.ts";

const SECRET = "s4ved-plan-secret-77";

describe("saved plans", () => {
  let target: TargetFixture;
  let dir: ManifestDir;
  let env: Record<string, string>;
  const run = (verb: typeof apply, ...args: string[]) => runVerb(verb, args, { env, cwd: dir.dir });
  beforeEach(async () => {
    target = await dokployFixture();
    dir = manifestDir();
    env = { ...target.env(), SHOP_TOKEN: SECRET, STACKCTL_SECRETS_DIR: join(dir.dir, "none") };
    dir.put("shop", shop());
  });
  afterEach(async () => {
    await target.close();
    dir.cleanup();
  });

  it("applies exactly the saved plan, and the file holds no secret", async () => {
    const planned = await run(diff, "stacks", "--out", "plan.json");
    assert.equal(planned.code, 1, planned.stderr);
    assert.match(planned.stderr, /Plan saved to plan\.json; apply exactly it with: stackctl apply plan\.json/);
    const file = readFileSync(join(dir.dir, "plan.json"), "utf8");
    assert.doesNotMatch(file, new RegExp(SECRET));
    assert.match(file, /"kind": "StackctlPlan"/);
    assert.equal(target.writes(), 0);
    const applied = await run(apply, "plan.json");
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /Apply: 0 deleted, 5 created/);
    assert.ok(target.app("web"));
    assert.equal((await run(diff, "stacks")).code, 0, "converged");
  });

  it("refuses when a manifest changed since, writing nothing", async () => {
    assert.equal((await run(diff, "stacks", "--out", "plan.json")).code, 1);
    dir.put("shop", shop("nginx:1.29"));
    const refused = await run(apply, "plan.json");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /the saved plan \(made .*\) is stale, nothing was applied:\n  - manifest stacks\/shop\.yaml changed\n  - the plan for target default is different now\nplan again: stackctl diff --out FILE/);
    assert.equal(target.writes(), 0);
  });

  it("refuses when the server changed since, writing nothing", async () => {
    assert.equal((await run(apply, "stacks")).code, 0);
    dir.put("shop", shop("nginx:1.28"));
    assert.equal((await run(diff, "stacks", "--out", "plan.json")).code, 1);
    target.editByHand("web", { image: "nginx:1.27", command: "sh -c 'mine now'" });
    const writes = target.writes();
    const refused = await run(apply, "plan.json");
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /project\/shop env\/production app\/web changed on the server/);
    assert.match(refused.stderr, /plan again/);
    assert.equal(target.writes(), writes, "nothing written");
    assert.equal(target.app("web")!.command, "sh -c 'mine now'");
  });

  it("refuses a file that is not a valid saved plan, and never saves a plan with errors", async () => {
    writeFileSync(join(dir.dir, "bad.json"), JSON.stringify({ kind: "StackctlPlan", formatVersion: 1, paths: [] }));
    const bad = await run(apply, "bad.json");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json: not a saved plan this version of stackctl can apply: .*\[planfile\.invalid\]/);
    delete env.SHOP_TOKEN;
    const failed = await run(diff, "stacks", "--out", "plan.json");
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /the plan has errors: not saved to plan\.json/);
  });
});

describe("saved plans on Coolify", () => {
  it("an unchanged server and manifests apply the saved plan: fingerprints are stable between reads", async () => {
    const target = await coolifyFixture()();
    const dir = manifestDir();
    try {
      const env = { ...target.env(), SHOP_TOKEN: SECRET, STACKCTL_SECRETS_DIR: join(dir.dir, "none") };
      dir.put("shop", shop());
      assert.equal((await runVerb(apply, ["stacks"], { env, cwd: dir.dir })).code, 0);
      dir.put("shop", shop("nginx:1.28"));
      assert.equal((await runVerb(diff, ["stacks", "--out", "plan.json"], { env, cwd: dir.dir })).code, 1);
      const applied = await runVerb(apply, ["plan.json"], { env, cwd: dir.dir });
      assert.equal(applied.code, 0, applied.stderr);
      assert.equal(target.app("web")!.image, "nginx:1.28");
    } finally {
      await target.close();
      dir.cleanup();
    }
  });
});

describe("fingerprints of observed objects", () => {
  it("cover the objects a plan touches, change with them, and hold no env value", () => {
    const before = [stack("shop", { applications: [app("web", { spec: { env: { TOKEN: "fp-secret-1" } }, domains: [{ host: "a.example.com", path: "/", port: 80, https: true }] })] })];
    const after = [stack("shop", { applications: [app("web", { spec: { env: { TOKEN: "fp-secret-1" }, replicas: 2 }, domains: [{ host: "a.example.com", path: "/", port: 80, https: true }] })] })];
    const actual = converged(before);
    const p = plan(planInput(after, actual));
    const ids = touchedIds(p);
    const first = fingerprints(actual, ids);
    assert.deepEqual(first.map((f) => f.object), ["project/shop env/production app/web"]);
    assert.doesNotMatch(JSON.stringify(first), /fp-secret/);
    actual.projects[0]!.environments[0]!.applications[0]!.domains![0]!.https = false;
    assert.notEqual(fingerprints(actual, ids)[0]!.sha256, first[0]!.sha256, "a domain changed by hand is seen");
  });
});
