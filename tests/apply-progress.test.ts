/**
 * apply's progress: a line when each change starts and ends, still-running lines every 10 s, deployment progress,
 * the closing summary with totals and elapsed time, and --quiet (summary and errors only). The printer is driven
 * with a hand clock; the CLI runs for real against the Dokploy simulator on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Change } from "../controller/plan/types.ts";
import { run as apply } from "../cmd/apply.ts";
import { createProgress, formatElapsed } from "../cmd/progress.ts";
import { runVerb } from "./helpers/cli.ts";
import { shop } from "./helpers/e2e-scenarios.ts";
import { manifestDir } from "./helpers/stacks.ts";
import type { TargetFixture } from "./helpers/targets.ts";
import { dokployFixture } from "./helpers/targets.ts";

const deploy: Change = { action: "deploy", kind: "application", subject: "stack/shop app/web", diff: [], operation: { op: "deployApplication", app: { subject: "stack/shop app/web", id: "a1" } } };

function handClock() {
  let t = 0;
  let tick: (() => void) | undefined;
  return {
    now: () => t,
    setInterval: (fn: () => void) => ((tick = fn), {}),
    clearInterval: () => (tick = undefined),
    advance(ms: number) {
      for (let i = 0; i < ms / 1000; i += 1) {
        t += 1000;
        tick?.();
      }
    },
  };
}

describe("progress lines", () => {
  it("prints start, still-running every 10 s, and done with the time taken", () => {
    const lines: string[] = [];
    const clock = handClock();
    const progress = createProgress({ write: (l) => lines.push(l), ...clock });
    progress.onEvent({ type: "change-start", stack: "shop", change: deploy });
    clock.advance(25_000);
    progress.onEvent({ type: "change-done", stack: "shop", change: deploy, elapsedMs: 25_300 });
    clock.advance(20_000);
    progress.close();
    assert.deepEqual(lines, [
      "» stack/shop app/web: deploying…\n",
      "… stack/shop app/web: still deploying (10s elapsed)\n",
      "… stack/shop app/web: still deploying (20s elapsed)\n",
      "» stack/shop app/web: deployment started (25.3s)\n",
    ]);
  });

  it("renders deployment progress when the status changes and every 10 s, and a failed change with its error", () => {
    const lines: string[] = [];
    const clock = handClock();
    const progress = createProgress({ write: (l) => lines.push(l), ...clock });
    const at = (elapsedMs: number, status: string) => progress.onEvent({ type: "deploy-progress", stack: "shop", app: "web", subject: "stack/shop app/web", status, elapsedMs });
    at(0, "queued");
    clock.advance(2000);
    at(2000, "deploying");
    clock.advance(3000);
    at(5000, "deploying");
    clock.advance(10_000);
    at(15_000, "deploying");
    progress.onEvent({ type: "deploy-done", stack: "shop", app: "web", subject: "stack/shop app/web", outcome: "failed", elapsedMs: 42_000, message: "health check failed" });
    progress.onEvent({ type: "change-done", stack: "shop", change: { ...deploy, action: "create" }, elapsedMs: 1200, error: { code: "x", subject: deploy.subject, message: "HTTP 500" } });
    progress.close();
    assert.deepEqual(lines, [
      "» stack/shop app/web: queued… 0.0s\n",
      "» stack/shop app/web: deploying… 2.0s\n",
      "» stack/shop app/web: deploying… 15.0s\n",
      "» stack/shop app/web: deployment failed (42.0s): health check failed\n",
      "✗ stack/shop app/web: create failed (1.2s): HTTP 500\n",
    ]);
  });

  it("formats elapsed time", () => {
    assert.equal(formatElapsed(1234), "1.2s");
    assert.equal(formatElapsed(125_000), "2m05s");
  });
});

describe("apply prints its progress", () => {
  let target: TargetFixture;
  before(async () => (target = await dokployFixture()));
  after(() => target.close());

  it("a line per change started and done, each stack's outcome, and a summary with elapsed time; --quiet only the summary", async () => {
    const dir = manifestDir();
    try {
      dir.put("shop", shop());
      const env = { ...target.env(), SHOP_TOKEN: "t0ken-value", STACKCTL_SECRETS_DIR: `${dir.dir}/none` };
      const out = await runVerb(apply, ["stacks"], { env, cwd: dir.dir });
      assert.equal(out.code, 0, out.stderr);
      const progress = out.stdout.slice(out.stdout.indexOf("Plan:"));
      assert.match(progress, /^\+ project\/shop: creating…$/m);
      assert.match(progress, /^\+ project\/shop: created \(\d+\.\ds\)$/m);
      assert.match(progress, /^\+ stack\/shop app\/web: creating…$/m);
      assert.match(progress, /^» stack\/shop app\/web: deploying…$/m);
      assert.match(progress, /^» stack\/shop app\/web: deployment started \(\d+\.\ds\)$/m);
      assert.match(progress, /^» stack\/shop app\/web: deployment succeeded \(\d+\.\ds\)/m, "and how the waited-for deployment ended");
      assert.match(progress, /^stack\/shop: applied \(/m);
      assert.match(out.stdout, /^Apply: 0 deleted, \d+ created, 0 updated, 0 adopted, 2 deployed in \d+\.\ds; stacks: 0 unchanged, 0 failed\. Deployments: 2 running, 0 failed, 0 timed out\.$/m);
      assert.ok(progress.indexOf("+ stack/shop app/web: creating…") < progress.indexOf("+ stack/shop app/web: created"), "start before done");
      dir.put("shop", shop("nginx:1.28"));
      const quiet = await runVerb(apply, ["stacks", "--quiet"], { env, cwd: dir.dir });
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.match(quiet.stdout, /^Apply: 0 deleted, 0 created, 1 updated, 0 adopted, 1 deployed in \d+\.\ds; stacks: 0 unchanged, 0 failed\. Deployments: 1 running, 0 failed, 0 timed out\.\n$/);
    } finally {
      dir.cleanup();
    }
  });
});
