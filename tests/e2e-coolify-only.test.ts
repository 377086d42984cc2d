/**
 * What only Coolify does, end to end through diff and apply against its simulator: env flags kept across updates,
 * hidden values compared by fingerprint, asynchronous deletes waited for, 409 domain conflicts, Laravel's 429 under
 * a burst, and names Coolify cannot hold reported by the plan.
 */
import assert from "node:assert/strict";
import { assertApplied, runScenarios, shop, single } from "./helpers/e2e-scenarios.ts";
import { coolifyFixture, simOf } from "./helpers/targets.ts";

const flagsOf = (t: Parameters<typeof simOf>[0]) =>
  simOf(t).store.envs.filter((e) => !e.is_preview).map((e) => [e.key, e.value, e.is_literal, e.is_multiline, e.is_runtime, e.is_buildtime]).sort();

runScenarios("Coolify: env flags", coolifyFixture(), [
  {
    name: "every flag is written and kept across updates; removed keys go with their preview copies",
    async run(t) {
      const api = (env: Record<string, string>, buildArgs: Record<string, string>) => ({ applications: [{ name: "api", image: "nginx:1.27", ports: [80], env, buildArgs }] });
      t.dir.put("svc", api({ A: "1", MULTI: "x\ny", BOTH: "same" }, { BOTH: "same", ONLY_BUILD: "b" }));
      assertApplied(await t.apply());
      assert.deepEqual(flagsOf(t.target), [
        ["A", "1", true, false, true, false],
        ["BOTH", "same", true, false, true, true],
        ["MULTI", "x\ny", true, true, true, false],
        ["ONLY_BUILD", "b", true, false, false, true],
      ]);
      // Someone PATCHes A without its flags, as Coolify's API allows: is_literal falls back to false.
      simOf(t.target).store.envs.find((e) => e.key === "A" && !e.is_preview)!.is_literal = false;
      t.dir.put("svc", api({ A: "2", MULTI: "x\ny", BOTH: "other" }, { BOTH: "other" }));
      assertApplied(await t.apply());
      assert.deepEqual(flagsOf(t.target), [
        ["A", "2", true, false, true, false],
        ["BOTH", "other", true, false, true, true],
        ["MULTI", "x\ny", true, true, true, false],
      ]);
      assert.equal(simOf(t.target).store.envs.some((e) => e.key === "ONLY_BUILD"), false, "the preview copy is deleted too");
      assert.equal((await t.diff()).code, 0);
    },
  },
]);

runScenarios("Coolify: a token without read:sensitive", coolifyFixture({ canReadSensitive: false }), [
  {
    name: "hidden values are compared by fingerprint: a rotated secret and a value edited by hand are both drift",
    async run(t) {
      t.dir.put("shop", shop());
      assertApplied(await t.apply());
      assert.equal((await t.diff()).code, 0, "the fingerprints match what was written");
      t.secrets = { SHOP_TOKEN: "rotated-value-43" };
      const rotated = await t.diff();
      assert.equal(rotated.code, 1);
      assert.match(rotated.stdout, /env\.TOKEN: \(hidden by Coolify: differs from the value stackctl last wrote\) → \(sensitive value\)/);
      assertApplied(await t.apply());
      const envs = simOf(t.target).store.envs;
      assert.equal(envs.find((e) => e.key === "TOKEN" && !e.is_preview)!.value, "rotated-value-43");
      assert.doesNotMatch(JSON.stringify(envs.map((e) => e.comment)), /rotated-value-43|s3cr3t-value-42/);
      assert.equal((await t.diff()).code, 0);
      // An edit in the UI replaces the value; stackctl's fingerprint no longer matches (here: it is gone).
      Object.assign(envs.find((e) => e.key === "LOG_LEVEL" && !e.is_preview)!, { value: "debug", comment: null });
      const edited = await t.diff();
      assert.equal(edited.code, 1);
      assert.match(edited.stdout, /env\.LOG_LEVEL: \(hidden by Coolify: differs from the value stackctl last wrote\) → "info"/);
      assert.doesNotMatch(edited.stdout + rotated.stdout, /rotated-value-43|s3cr3t-value-42|debug/);
      assertApplied(await t.apply());
      assert.equal(envs.find((e) => e.key === "LOG_LEVEL" && !e.is_preview)!.value, "info");
    },
  },
]);

runScenarios("Coolify: asynchronous deletes", coolifyFixture({ deleteDelayMs: 400 }), [
  {
    name: "an environment and its project are deleted only once the application is really gone",
    async run(t) {
      t.dir.put("shop", { environment: "staging", ...single("web", "nginx:1.27") });
      t.dir.put("wiki", single("wiki", "wikijs:2", 3000));
      assertApplied(await t.apply());
      const sim = simOf(t.target);
      const uuid = sim.store.applications.find((a) => a.name === "web")!.uuid;
      t.dir.remove("shop");
      assertApplied(await t.apply());
      assert.deepEqual(t.target.projectApps("shop"), []);
      // Searched from the deletion on: the first apply read the application too (waiting for it to run).
      const at = (method: string, pattern: RegExp, status?: number, from = 0) => {
        const i = sim.requests.slice(from).findIndex((r) => r.method === method && pattern.test(r.path) && (status === undefined || r.status === status));
        return i < 0 ? -1 : i + from;
      };
      const queued = at("DELETE", new RegExp(`/applications/${uuid}$`));
      const stillThere = at("GET", new RegExp(`/applications/${uuid}$`), 200, queued);
      const gone = at("GET", new RegExp(`/applications/${uuid}$`), 404, queued);
      const environment = at("DELETE", /\/environments\//);
      const project = at("DELETE", /^\/api\/v1\/projects\/\w+$/);
      assert.ok(queued >= 0 && queued < stillThere && stillThere < gone && gone < environment && environment < project, `order ${[queued, stillThere, gone, environment, project]}`);
      assert.equal(sim.requests.filter((r) => r.status === 400).length, 0, "never 'has resources, so it cannot be deleted'");
      assert.ok(t.target.app("wiki"));
    },
  },
]);

runScenarios("Coolify: domain conflicts", coolifyFixture(), [
  {
    name: "a 409 names the domain and the application that holds it, and nothing is forced",
    async run(t) {
      const { store } = simOf(t.target);
      const legacyProject = store.addProject("legacy-site", null);
      const env = store.environments.find((e) => e.project_id === legacyProject.id)!;
      const legacy = store.insertApplication(env, { name: "legacy", fqdn: "https://shop.example.com:80", build_pack: "dockerimage", docker_registry_image_name: "nginx" });
      t.dir.put("shop", shop());
      const a = await t.apply();
      assert.equal(a.code, 1);
      const conflict = new RegExp(`stack/shop app/web domain/shop\\.example\\.com/: create domain failed: coolify PATCH applications/\\w+: 409 domain already in use: https://shop\\.example\\.com:80 is used by application 'legacy' \\(uuid ${legacy.uuid}\\)$`, "m");
      assert.match(a.stderr + a.stdout, conflict);
      assert.equal(legacy.fqdn, "https://shop.example.com:80");
      assert.deepEqual(t.target.app("web")!.domains, []);
    },
  },
]);

runScenarios("Coolify: rate limit", coolifyFixture({ rateLimitPerMinute: 150, rateLimitWindowMs: 1000, requestsPerMinute: 30_000 }), [
  {
    name: "a burst of 300 changes meets Laravel's 429 and applies without a visible failure",
    async run(t) {
      for (let i = 0; i < 60; i += 1) t.dir.put(`burst-${i}`, { applications: [{ name: `app-${i}`, image: "nginx:1.27", ports: [80], domains: [{ host: `b${i}.example.com` }] }] });
      const a = await t.apply();
      assertApplied(a);
      assert.match(a.stdout, /Plan: 0 to delete, 240 to create, 0 to update, 0 to adopt, 60 to deploy\./, "300 changes");
      const sim = simOf(t.target);
      assert.ok(sim.requests.filter((r) => r.status === 429).length > 0, "the client outran the server's limit: 429s were answered and retried");
      assert.doesNotMatch(a.stdout + a.stderr, /rate-limited|Too Many Attempts|: failed|error:/);
      assert.equal(sim.store.applications.length, 60);
      assert.equal((await t.diff()).code, 0);
    },
  },
]);

runScenarios("Coolify: names and fields it cannot hold (COOLIFY_URL and COOLIFY_TOKEN only)", coolifyFixture({ envOnly: true }), [
  {
    name: "a too-short environment name and a read-only volume are plan errors of their stacks, never a 422 at apply",
    async run(t) {
      t.dir.put("shop", shop());
      t.dir.put("shop-qa", { project: "shop", environment: "qa", ...single("web", "nginx:1.27") });
      t.dir.put("files", { applications: [{ name: "files", image: "nginx:1.27", ports: [80], volumes: [{ name: "data", mountPath: "/data", readOnly: true }] }] });
      const d = await t.diff();
      assert.equal(d.code, 2);
      assert.match(d.stdout, /stack\/shop-qa \(stacks\/shop-qa\.yaml\): not applied\n\s+error: stacks\/shop-qa\.yaml: spec\.environment: stack\/shop-qa: Coolify environment names have 3 to 255 characters.*\[provider\.unsupported\]/);
      assert.match(d.stdout, /error: stacks\/files\.yaml: spec\.applications\[0\]\.volumes\[0\]\.readOnly: stack\/files app\/files: Coolify's API mounts storages read-write only.*\[provider\.unsupported\]/);
      assert.match(d.stdout, /\+ create application stack\/shop app\/web/, "the other stacks are planned");
      const a = await t.apply();
      assert.equal(a.code, 1);
      const sim = simOf(t.target);
      assert.equal(sim.requests.filter((r) => r.status === 422).length, 0);
      assert.deepEqual(t.target.projectApps("shop"), [["web", "worker"]], "only the valid stack is applied");
      assert.equal(sim.store.environments.some((e) => e.name === "qa"), false);
      assert.deepEqual(t.target.projectApps("files"), []);
    },
  },
]);
