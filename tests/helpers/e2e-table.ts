/**
 * The scenarios every provider must pass (issue "Reconcile Stacks against Dokploy", run against Coolify too):
 * convergence and idempotence, updates and redeploys, domains, pruning and teardown, drift, adoption, failures
 * confined to one stack, the mass-deletion guard, faults, and configuration errors. Provider differences are
 * fixture properties (e.g. `canRemoveLastDomain`), never branches on the provider's name.
 */
import assert from "node:assert/strict";
import { applyUntilConverged, assertApplied, shop, single } from "./e2e-scenarios.ts";
import type { Scenario } from "./e2e-scenarios.ts";
import { runVerb } from "./cli.ts";
import { run as apply } from "../../cmd/apply.ts";
import { run as diff } from "../../cmd/diff.ts";

/** The shared table. */
export const SHARED_SCENARIOS: Scenario[] = [
  {
    name: "converges from empty, then a second apply writes nothing",
    async run(t) {
      t.dir.put("shop", shop());
      const dry = await t.apply("--dry-run");
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /\+ create project project\/shop[\s\S]*dry run: nothing was applied/);
      assert.equal(t.target.writes(), 0, "a dry run writes nothing");
      const first = await t.apply();
      assertApplied(first);
      assert.match(first.stdout, /stack\/shop: applied \(\d+ created/);
      assert.deepEqual(t.target.projectApps("shop"), [["web", "worker"]]);
      const web = t.target.app("web")!;
      assert.equal(web.image, "nginx:1.27");
      assert.deepEqual(web.envKeys, ["LOG_LEVEL", "TOKEN"]);
      assert.deepEqual(web.domains, ["shop.example.com/ true"]);
      assert.ok(web.deployments >= 1, "deployed");
      const before = t.target.writes();
      const second = await t.apply();
      assertApplied(second);
      assert.equal(t.target.writes(), before, "no write on a converged server");
      assert.match(second.stdout, /stack\/shop \(stacks\/shop.yaml\): no changes/);
      const check = await t.diff();
      assert.equal(check.code, 0, check.stdout);
    },
  },
  {
    name: "updates and redeploys on an image change, and never prints the secret",
    async run(t) {
      t.dir.put("shop", shop());
      assertApplied(await t.apply());
      const deployments = t.target.app("web")!.deployments;
      t.dir.put("shop", shop("nginx:1.28"));
      const d = await t.diff();
      assert.equal(d.code, 1);
      assert.match(d.stdout, /~ update application stack\/shop app\/web/);
      assert.match(d.stdout, /» deploy application stack\/shop app\/web/);
      const a = await t.apply();
      assertApplied(a);
      assert.equal(t.target.app("web")!.image, "nginx:1.28");
      assert.equal(t.target.app("web")!.deployments, deployments + 1);
      const json = await t.diff("--format", "json");
      assert.doesNotMatch(d.stdout + a.stdout + json.stdout + d.stderr + a.stderr, /s3cr3t-value-42/);
    },
  },
  {
    name: "adds, changes and removes domains (the last one only where the platform allows)",
    async run(t) {
      t.dir.put("shop", shop());
      assertApplied(await t.apply());
      const deployments = t.target.app("web")!.deployments;
      t.dir.put("shop", shop("nginx:1.27", [{ host: "shop.example.com", https: false }, { host: "www.example.com", path: "/app" }]));
      assertApplied(await t.apply());
      assert.deepEqual(t.target.app("web")!.domains, ["shop.example.com/ false", "www.example.com/app true"]);
      assert.equal(t.target.app("web")!.deployments, deployments + (t.target.domainsNeedRedeploy ? 1 : 0), "redeployed only where routing needs it");
      t.dir.put("shop", shop("nginx:1.27", [{ host: "www.example.com", path: "/app" }]));
      assertApplied(await t.apply());
      assert.deepEqual(t.target.app("web")!.domains, ["www.example.com/app true"]);
      t.dir.put("shop", shop("nginx:1.27", []));
      const last = await t.apply();
      if (t.target.canRemoveLastDomain) {
        assertApplied(last);
        assert.deepEqual(t.target.app("web")!.domains, []);
      } else {
        assert.equal(last.code, 1);
        assert.match(last.stdout, /stack\/shop app\/web domain\/www\.example\.com\/app: delete domain failed: .*last domain cannot be removed through the API/);
        assert.deepEqual(t.target.app("web")!.domains, ["www.example.com/app true"]);
      }
    },
  },
  {
    name: "declares, moves and removes volumes and binds; each change is deployed; a second apply writes nothing",
    async run(t) {
      const ide = (volumes: unknown[]) => ({ applications: [{ name: "ide", image: "nginx:1.27", ports: [80], volumes }] });
      t.dir.put("workspace", ide([{ name: "work", mountPath: "/work" }, { hostPath: "/srv/cache", mountPath: "/cache" }]));
      assertApplied(await t.apply());
      assert.deepEqual(t.target.app("ide")!.volumes, ["/srv/cache:/cache", "work:/work"]);
      assert.equal((await t.diff()).code, 0, "read back as declared");
      const deployed = t.target.app("ide")!.deployments;
      t.dir.put("workspace", ide([{ name: "work", mountPath: "/home/work" }]));
      const d = await t.diff();
      assert.equal(d.code, 1);
      assert.match(d.stdout, /volumes[\s\S]*» deploy application stack\/workspace app\/ide/, "a volume change is deployed");
      assertApplied(await t.apply());
      assert.deepEqual(t.target.app("ide")!.volumes, ["work:/home/work"]);
      assert.ok(t.target.app("ide")!.deployments > deployed);
      const settled = t.target.writes();
      assertApplied(await t.apply());
      assert.equal(t.target.writes(), settled, "no write on a converged server");
    },
  },
  {
    name: "deletes a removed application and tears down a removed stack",
    async run(t) {
      t.dir.put("shop", shop());
      t.dir.put("blog", single("ghost", "ghost:5", 2368));
      t.dir.put("wiki", single("wiki", "wikijs:2", 3000));
      assertApplied(await t.apply());
      t.dir.put("shop", { applications: [shop().applications[0]] });
      t.dir.remove("blog");
      assertApplied(await t.apply());
      assert.equal(t.target.app("worker"), undefined);
      assert.equal(t.target.app("ghost"), undefined);
      assert.deepEqual(t.target.projectApps("blog"), [], "the emptied project is deleted");
      assert.ok(t.target.app("wiki"));
    },
  },
  {
    name: "shows drift made by hand and undoes it",
    async run(t) {
      t.dir.put("shop", shop());
      assertApplied(await t.apply());
      t.target.editByHand("web", { image: "nginx:evil", command: "sh -c 'mine now'" });
      const d = await t.diff();
      assert.equal(d.code, 1);
      assert.match(d.stdout, /source/);
      assert.match(d.stdout, /command: "sh -c 'mine now'" → \(removed\)/);
      assertApplied(await t.apply());
      assert.equal(t.target.app("web")!.image, "nginx:1.27");
      assert.equal(t.target.app("web")!.command, null);
      assert.equal((await t.diff()).code, 0);
    },
  },
  {
    name: "leaves an unmarked project of the same name untouched, and adopts it on request",
    async run(t) {
      t.target.insertUnmarked("shop", "hand made", "web");
      t.dir.put("shop", shop());
      const before = t.target.writes();
      const a = await t.apply();
      assert.equal(a.code, 1);
      assert.match(a.stdout + a.stderr, /project 'shop' exists and is not managed by stackctl/);
      assert.equal(t.target.writes(), before, "nothing written");
      assert.equal(t.target.projectDescription("shop"), "hand made");
      t.dir.put("shop", shop(), { "stackctl.dev/adopt": "true" });
      assertApplied(await t.apply());
      assert.match(t.target.projectDescription("shop") ?? "", /managed-by stackctl/);
      assert.deepEqual(t.target.projectApps("shop"), [["web", "worker"]], "adopted, not duplicated");
      assert.equal(t.target.app("web")!.image, "nginx:1.27");
    },
  },
  {
    name: "fails a stack with a missing secret without writing an empty value, and applies the others",
    async run(t) {
      t.dir.put("shop", shop());
      t.dir.put("blog", single("ghost", "ghost:5", 2368));
      t.secrets = {};
      const a = await t.apply();
      assert.equal(a.code, 1);
      assert.match(a.stderr, /secret SHOP_TOKEN is not set/);
      assert.deepEqual(t.target.projectApps("shop"), []);
      assert.ok(t.target.app("ghost"));
    },
  },
  {
    name: "never deletes a stack whose manifest broke, and keeps serving the others",
    async run(t) {
      t.dir.put("shop", shop());
      t.dir.put("blog", single("ghost", "ghost:5", 2368));
      assertApplied(await t.apply());
      t.dir.write("stacks/shop.yaml", "apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata: { name: shop }\nspec:\n  applications:\n    - name: web\n      imag: nginx\n");
      t.dir.put("blog", single("ghost", "ghost:6", 2368));
      const a = await t.apply();
      assert.equal(a.code, 1);
      assert.match(a.stderr, /stacks\/shop.yaml:7:7/);
      assert.ok(t.target.app("web"), "broken stack untouched");
      assert.equal(t.target.app("ghost")!.image, "ghost:6");
      t.dir.write("stacks/shop.yaml", "key: [unclosed\n");
      const b = await t.apply();
      assert.equal(b.code, 1);
      assert.ok(t.target.app("web"), "unparseable file: nothing torn down");
    },
  },
  {
    name: "refuses to tear down most stacks unless allowed",
    async run(t) {
      for (const name of ["alpha", "bravo", "charlie"]) t.dir.put(name, single(`app-${name}`, "nginx:1.27"));
      assertApplied(await t.apply());
      t.dir.remove("bravo");
      t.dir.remove("charlie");
      const refused = await t.apply();
      assert.equal(refused.code, 1);
      assert.match(refused.stdout + refused.stderr, /refusing to tear down 2 of 3 managed stacks/);
      assert.ok(t.target.app("app-bravo"));
      assertApplied(await t.apply("--allow-mass-deletion"));
      assert.equal(t.target.app("app-bravo"), undefined);
      assert.ok(t.target.app("app-alpha"));
    },
  },
  {
    name: "converges through 5xx, 429 and dropped connections, with no duplicates",
    async run(t) {
      const names = ["alpha", "bravo", "charlie", "delta"];
      for (const name of names) t.dir.put(name, shop("nginx:1.27", [{ host: `${name}.example.com` }]));
      t.secrets = { SHOP_TOKEN: "x" };
      t.target.setFaults({ errorRate: 0.15, rateLimit429Rate: 0.1, dropRate: 0.05 });
      await applyUntilConverged(t, 8);
      t.target.setFaults({ errorRate: 0, rateLimit429Rate: 0, dropRate: 0 });
      assertApplied(await t.apply());
      for (const name of names) assert.deepEqual(t.target.projectApps(name), [["web", "worker"]], `one project ${name}, no duplicate application`);
      assert.equal((await t.diff()).code, 0);
    },
  },
  {
    name: "reports a refused credential and a missing configuration clearly, writing nothing",
    async run(t) {
      t.dir.put("shop", shop());
      const refused = await runVerb(diff, ["stacks"], { env: t.target.refusedEnv(), cwd: t.dir.dir });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, t.target.refusedMessage);
      assert.doesNotMatch(refused.stderr + refused.stdout, /wrong-(key|token)-123/);
      const unconfigured = await runVerb(apply, ["stacks"], { env: {}, cwd: t.dir.dir });
      assert.equal(unconfigured.code, 2);
      assert.match(unconfigured.stderr, /stackctl apply: no configuration: .*DOKPLOY_URL.*COOLIFY_URL.*\[config.missing\]/);
      assert.equal(t.target.writes(), 0);
    },
  },
];
