/**
 * `apply` waits for what it deployed: the scenario table run against both simulators (tests/e2e-deploy-*.test.ts).
 * Deployment outcomes, durations and log text are the simulators' knobs; everything else is the real CLI, provider
 * and HTTP client. The secret SHOP_TOKEN's value is planted in build logs to prove the log tail is scrubbed.
 */
import assert from "node:assert/strict";
import type { Scenario } from "./e2e-scenarios.ts";
import { assertApplied, shop, single } from "./e2e-scenarios.ts";

const SECRET = "s3cr3t-value-42";

/** The scenarios. */
export const DEPLOY_SCENARIOS: readonly Scenario[] = [
  {
    name: "a successful deployment is waited for: progress per application, then running, in the summary",
    async run(t) {
      t.target.setDeploys({ durationMs: 200 });
      t.dir.put("shop", shop());
      const out = await t.apply();
      assertApplied(out);
      assert.match(out.stdout, /^» stack\/shop app\/web: deploying… \d+\.\ds$/m);
      assert.match(out.stdout, /^» stack\/shop app\/web: deployment succeeded \(\d+\.\ds\): deployed and running \(.+\)$/m);
      assert.match(out.stdout, /Deployments: 2 running, 0 failed, 0 timed out\.$/m);
      const again = await t.diff();
      assert.equal(again.code, 0, again.stdout);
    },
  },
  {
    name: "a build failure fails the apply (exit 1) with the platform status and the scrubbed log tail; the other app still finishes",
    async run(t) {
      t.target.setDeploys({ outcomes: { web: "fail-build" }, logLines: [`npm ERR! registry refused token ${SECRET}`] });
      t.dir.put("shop", shop());
      const out = await t.apply();
      assert.equal(out.code, 1, out.stdout + out.stderr);
      const all = out.stdout + out.stderr;
      assert.match(all, /stack\/shop app\/web: the deployment failed \(platform status: (error|failed)\)/);
      assert.match(all, /npm ERR! registry refused token \[redacted\]/);
      assert.ok(!all.includes(SECRET), "no secret in the output");
      assert.match(all, /stack\/shop app\/worker: deployment succeeded .*: deployed and running/);
      assert.match(out.stdout, /Deployments: 1 running, 1 failed, 0 timed out\.$/m);
      const diff = await t.diff();
      assert.equal(diff.code, 1, `the failed application is not reported in sync:\n${diff.stdout}`);
      assert.match(diff.stdout, /stack\/shop app\/web/);
    },
  },
  {
    name: "a crash after start fails the apply: the deployment finished but the application does not run",
    async run(t) {
      t.target.setDeploys({ outcomes: { api: "crash-after-start" } });
      t.dir.put("api", single("api", "ghcr.io/acme/api:1"));
      const out = await t.apply();
      assert.equal(out.code, 1, out.stdout);
      assert.match(out.stdout + out.stderr, /stack\/api app\/api: deployed, but the application is not running \(platform status: .*(Failed|restarting).*\)/);
    },
  },
  {
    name: "a deployment still running at --timeout fails the apply, naming what was in progress",
    async run(t) {
      t.target.setDeploys({ durationMs: 5000 });
      t.dir.put("slow", single("slow", "nginx:1.27"));
      const out = await t.apply("--timeout", "300ms");
      assert.equal(out.code, 1, out.stdout);
      assert.match(out.stdout + out.stderr, /stack\/slow app\/slow: timed out after \d+s with the deployment still (running|in_progress|queued)/);
      assert.match(out.stdout, /Deployments: 0 running, 0 failed, 1 timed out\.$/m);
    },
  },
  {
    name: "two stacks: one deployment fails, the other stack still applies and runs",
    async run(t) {
      t.target.setDeploys({ outcomes: { blog: "fail-start" } });
      t.dir.put("shop", single("web", "nginx:1.27"));
      t.dir.put("blog", single("blog", "ghost:5"));
      const out = await t.apply();
      assert.equal(out.code, 1);
      assert.match(out.stdout, /^stack\/shop: applied/m);
      assert.match(out.stdout, /^stack\/blog: failed:/m);
      assert.match(out.stdout, /stack\/shop app\/web: deployment succeeded .*: deployed and running/);
    },
  },
  {
    name: "--wait=false returns once the deployments are started",
    async run(t) {
      t.target.setDeploys({ durationMs: 3000 });
      t.dir.put("shop", single("web", "nginx:1.27"));
      const reads = t.target.deploymentReads();
      const out = await t.apply("--wait=false");
      assertApplied(out);
      assert.doesNotMatch(out.stdout, /deploying… \d|Deployments:/);
      assert.ok(t.target.deploymentReads() - reads <= 2, "no polling");
      assert.equal(t.target.app("web")!.deployments, 1);
    },
  },
  {
    name: "a deployment already queued or running is waited for, not duplicated",
    async run(t) {
      t.dir.put("shop", single("web", "nginx:1.27"));
      assertApplied(await t.apply());
      const before = t.target.app("web")!.deployments;
      t.target.setDeploys({ durationMs: 300 });
      t.target.deployByHand("web");
      t.target.editByHand("web", { image: "nginx:1.25", command: "nginx -g 'daemon off;'" });
      const out = await t.apply();
      assertApplied(out);
      assert.match(out.stdout, /stack\/shop app\/web: deployment succeeded .*: deployed and running/);
      assert.equal(t.target.app("web")!.deployments, before + 1, "the hand-made deployment only");
    },
  },
  {
    name: "an application stopped by hand is drift: diff shows it and apply starts it again",
    async run(t) {
      t.dir.put("shop", single("web", "nginx:1.27"));
      assertApplied(await t.apply());
      t.target.stopByHand("web");
      const diff = await t.diff();
      assert.equal(diff.code, 1);
      assert.match(diff.stdout, /stack\/shop app\/web/);
      const out = await t.apply();
      assertApplied(out);
      assert.match(out.stdout, /stack\/shop app\/web: deployment succeeded .*: deployed and running/);
      assert.equal((await t.diff()).code, 0);
    },
  },
];
