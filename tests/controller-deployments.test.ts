/**
 * `stackctl run` as a real process, against both simulators, tells the truth about deployments: Ready only once a
 * deployment finished and the application runs (Reconciling/Progressing while it is waited for), the last
 * deployment of each application in /api/v1/stacks/NAME, a failed build as Ready=False/DeploymentFailed with the
 * scrubbed log tail, bounded retries then Stalled with no further deployment until the manifest changes, a crash
 * after start as HealthCheckFailed, and an application stopped by hand started again by the drift check.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { ControllerProcess } from "./helpers/controller.ts";
import { scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";
import type { FixtureFactory, TargetFixture } from "./helpers/targets.ts";
import { coolifyFixture, dokployFixture } from "./helpers/targets.ts";

const SECRET = "t0ken-in-the-build-log";

interface Condition { type: string; status: string; reason: string; message: string }
interface Status { name: string; conditions: Condition[]; deployments?: { app: string; id: string | null; status: string; outcome: string; logTail: string[] }[] }

const FIXTURES: [string, FixtureFactory][] = [["Dokploy", dokployFixture], ["Coolify", coolifyFixture()]];

for (const [provider, fixture] of FIXTURES) {
  describe(`the controller waits for deployments on ${provider}`, () => {
    let target: TargetFixture;
    let scratch: ReturnType<typeof scratchDir>;
    let controller: ControllerProcess | null = null;

    beforeEach(async () => {
      target = await fixture();
      scratch = scratchDir();
      mkdirSync(`${scratch.dir}/stacks`, { recursive: true });
    });
    afterEach(async () => {
      if (controller && controller.child.exitCode === null) await controller.stop();
      controller = null;
      await target.close();
      scratch.cleanup();
    });

    const put = (image: string) =>
      writeFileSync(`${scratch.dir}/stacks/shop.yaml`, stackYaml("shop", { applications: [{ name: "web", image, ports: [80], env: { TOKEN: { secret: "SHOP_TOKEN" } } }] }));
    const run = async (extra: string[] = []) => {
      const env = { ...target.env(), SHOP_TOKEN: SECRET, STACKCTL_POLL_INTERVAL: "50ms" };
      controller = await startController(["--dir", "stacks", "--data-dir", `${scratch.dir}/data`, "--interval", "1h", ...extra], env, scratch.dir);
      return controller;
    };
    // Before its first reconcile the stack is a 404 without conditions.
    const status = async (c: ControllerProcess) => {
      const s = await c.json<Partial<Status>>("/api/v1/stacks/shop");
      return { name: "shop", ...s, conditions: s.conditions ?? [] } as Status;
    };
    const cond = (s: Status, type: string) => s.conditions.find((c) => c.type === type);

    it("is Reconciling/Progressing while the deployment runs, Ready only once it finished and runs, with the deployment in the status", async () => {
      target.setDeploys({ durationMs: 1500 });
      put("nginx:1.27");
      const c = await run();
      const progressing = await waitUntil("progressing", async () => {
        const s = await status(c).catch(() => null);
        return s && cond(s, "Reconciling")?.status === "True" && /deploying app\/web/.test(cond(s, "Reconciling")!.message) ? s : null;
      }, 10_000, 25);
      assert.notEqual(cond(progressing, "Ready")?.status, "True", "not Ready while deploying");
      const ready = await waitUntil("ready", async () => {
        const s = await status(c);
        return cond(s, "Ready")?.status === "True" ? s : null;
      }, 15_000);
      const [record] = ready.deployments ?? [];
      assert.equal(record?.app, "web");
      assert.equal(record?.outcome, "succeeded");
      assert.match(record!.status, /^(done|finished)$/);
      assert.ok(record?.id, "the platform's deployment id");
    });

    it("a failing build: Ready=False/DeploymentFailed with the scrubbed log tail, bounded retries, then Stalled and no deployment until the manifest changes", async () => {
      target.setDeploys({ outcomes: { web: "fail-build" }, logLines: [`npm ERR! 401 for token ${SECRET}`] });
      put("nginx:1.27");
      const c = await run(["--deploy-retries", "2", "--deploy-retry-backoff", "200ms", "--drift-interval", "1s"]);
      const failed = await waitUntil("failed", async () => {
        const s = await status(c).catch(() => null);
        return s && cond(s, "Ready")?.reason === "DeploymentFailed" ? s : null;
      }, 15_000);
      assert.equal(cond(failed, "Ready")?.status, "False");
      assert.match(cond(failed, "Ready")!.message, /app\/web: the deployment failed \(platform status: (error|failed)\)/);
      assert.match(cond(failed, "Ready")!.message, /npm ERR! 401 for token \[redacted\]/);
      const stalled = await waitUntil("stalled", async () => {
        const s = await status(c);
        return cond(s, "Stalled")?.status === "True" ? s : null;
      }, 15_000);
      assert.equal(cond(stalled, "Stalled")?.reason, "DeploymentFailed");
      assert.match(cond(stalled, "Stalled")!.message, /gave up after 3 failed deployments/);
      assert.ok(stalled.deployments?.[0]?.logTail.some((l) => l.includes("[redacted]")));
      assert.ok(!JSON.stringify(stalled).includes(SECRET), "no secret in the status");
      assert.equal(target.app("web")!.deployments, 3, "the first try and two retries");
      await sleep(2500); // more than two drift intervals
      assert.equal(target.app("web")!.deployments, 3, "Stalled: nothing deployed again");
      target.setDeploys({ outcomes: {} });
      put("nginx:1.28");
      await waitUntil("ready after the manifest changed", async () => cond(await status(c), "Ready")?.status === "True", 15_000);
      assert.equal(target.app("web")!.deployments, 4);
      const metrics = (await c.get("/metrics")).text;
      assert.match(metrics, /^stackctl_deployments_total\{result="failed"\} 3$/m);
      assert.match(metrics, /^stackctl_deployments_total\{result="succeeded"\} 1$/m);
      assert.match(metrics, /^stackctl_deployment_duration_seconds_count\{result="failed"\} 3$/m);
    });

    it("a crash after start is Ready=False/HealthCheckFailed", async () => {
      target.setDeploys({ outcomes: { web: "crash-after-start" } });
      put("nginx:1.27");
      const c = await run(["--deploy-retries", "0"]);
      const s = await waitUntil("unhealthy", async () => {
        const x = await status(c).catch(() => null);
        return x && cond(x, "Ready")?.reason === "HealthCheckFailed" ? x : null;
      }, 15_000);
      assert.equal(cond(s, "Ready")?.status, "False");
      assert.match(cond(s, "Ready")!.message, /deployed, but the application is not running/);
      assert.equal(cond(s, "Stalled")?.status, "True", "no retries allowed");
    });

    it("a deployment still running at --deploy-timeout is Ready=False/DeploymentFailed, naming what was in progress", async () => {
      target.setDeploys({ durationMs: 20_000 });
      put("nginx:1.27");
      const c = await run(["--deploy-timeout", "500ms", "--deploy-retries", "0"]);
      const s = await waitUntil("timed out", async () => {
        const x = await status(c);
        return cond(x, "Ready")?.reason === "DeploymentFailed" ? x : null;
      }, 15_000);
      assert.match(cond(s, "Ready")!.message, /app\/web: timed out after \d+s with the deployment still (running|in_progress|queued)/);
      assert.equal(s.deployments?.[0]?.outcome, "timeout");
    });

    it("an application stopped by hand is started again by the drift check", async () => {
      put("nginx:1.27");
      const c = await run(["--drift-interval", "1s"]);
      await waitUntil("ready", async () => cond(await status(c).catch(() => ({ name: "", conditions: [] })), "Ready")?.status === "True", 15_000);
      const before = target.app("web")!.deployments;
      target.stopByHand("web");
      await waitUntil("redeployed by the drift check", () => target.app("web")!.deployments > before, 15_000);
      await waitUntil("ready again", async () => cond(await status(c), "Ready")?.status === "True", 15_000);
    });
  });
}
