/**
 * Commit statuses from `stackctl run` as a real process: a local bare Git origin, the Dokploy simulator and a
 * GitHub-compatible server, all on 127.0.0.1. The origin is a local path, so the repository is configured
 * explicitly (`controller.github.repository`); reading it from a github.com URL is unit-tested
 * (github-units.test.ts).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { stringify } from "yaml";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { ControllerProcess, GitOrigin } from "./helpers/controller.ts";
import { githubPush, gitOrigin, scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";
import { startEchoProxy } from "./helpers/echo-proxy.ts";
import type { EchoProxy } from "./helpers/echo-proxy.ts";
import { startFakeGitHub } from "./helpers/github.ts";
import type { FakeGitHub } from "./helpers/github.ts";

const TOKEN = "ghp_status-token-for-tests";
const HOOK = "hook-secret-for-tests";
const PUBLIC = "https://stackctl.example.test";

let sim: DokploySimulator;
let gh: FakeGitHub;
let origin: GitOrigin;
let scratch: ReturnType<typeof scratchDir>;
let controller: ControllerProcess | null;
let proxy: EchoProxy | null;

beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 5 });
  gh = await startFakeGitHub({ token: TOKEN, owner: "acme", repo: "stacks" });
  origin = gitOrigin();
  scratch = scratchDir();
  controller = null;
  proxy = null;
});
afterEach(async () => {
  if (controller && controller.child.exitCode === null) await controller.stop();
  await proxy?.close();
  await gh.close();
  await sim.close();
  origin.cleanup();
  scratch.cleanup();
});

const web = (image = "nginx:1.27") => ({ applications: [{ name: "web", image, ports: [80] }] });

function run(opts: { github?: Record<string, unknown> | null; targetUrl?: string } = {}): Promise<ControllerProcess> {
  const github = opts.github === null ? undefined : { repository: "acme/stacks", token: { fromEnv: "GH_STATUS_TOKEN" }, apiUrl: gh.url, ...opts.github };
  const config = {
    apiVersion: "stackctl.dev/v1alpha1",
    kind: "ControllerConfig",
    targets: [{ name: "default", provider: "dokploy", url: opts.targetUrl ?? sim.url, apiKey: { fromEnv: "DOKPLOY_API_KEY" } }],
    controller: { publicUrl: PUBLIC, ...(github ? { github } : {}) },
  };
  writeFileSync(join(scratch.dir, "stackctl.yaml"), stringify(config));
  const env = { DOKPLOY_API_KEY: sim.apiKey, GH_STATUS_TOKEN: TOKEN, STACKCTL_GITHUB_WEBHOOK_SECRET: HOOK };
  const args = ["--config", "stackctl.yaml", "--git", origin.bare, "--path", "stacks", "--data-dir", `${scratch.dir}/data`, "--interval", "1h"];
  return startController(args, env, scratch.dir).then((c) => (controller = c));
}

const states = (sha: string) => (gh.statuses.get(sha) ?? []).map((s) => `${s.context} ${s.state}`);
const settled = (sha: string) => () => (gh.statuses.get(sha) ?? []).some((s) => s.state !== "pending");

describe("commit statuses from the controller", () => {
  it("pending, then success once the commit is applied, on every new commit; linked to the status API", async () => {
    const first = origin.commit({ "stacks/shop.yaml": stackYaml("shop", { project: "shop", ...web() }) });
    const c = await run();
    await waitUntil("first commit's status", settled(first), 15_000);
    assert.deepEqual(states(first), ["stackctl/default pending", "stackctl/default success"]);
    const done = gh.statuses.get(first)![1]!;
    assert.equal(done.description, "1 stack applied");
    assert.equal(done.target_url, `${PUBLIC}/api/v1/stacks`);
    assert.ok(sim.store.findApplicationByName("web"));

    const second = origin.commit({ "stacks/shop.yaml": stackYaml("shop", { project: "shop", ...web("nginx:1.28") }) });
    const hook = githubPush(HOOK);
    assert.equal(await c.post("/hooks/github", hook.body, hook.headers), 202);
    await waitUntil("second commit's status", settled(second), 15_000);
    assert.deepEqual(states(second), ["stackctl/default pending", "stackctl/default success"]);
    assert.equal(String(sim.store.findApplicationByName("web")!.dockerImage), "nginx:1.28");
    // One status per state change: nothing more was posted on the first commit.
    assert.equal(gh.statuses.get(first)!.length, 2);
    assert.ok(gh.requests.every((r) => r.authorization === `token ${TOKEN}`));
  });

  // Needs the controller to wait for deployments (issue 10, branch deploy-wait): until then Ready=True follows the
  // deploy request, and this commit would be reported as a success.
  it("failure with the failing stack and its error on a commit whose deployment fails (the build fails)", async () => {
    sim.store.settings.deploy.outcomes = { web: "fail-build" };
    sim.store.settings.deploy.logLines = [`npm ERR! registry refused token ${TOKEN}`];
    const sha = origin.commit({ "stacks/shop.yaml": stackYaml("shop", { project: "shop", ...web() }) });
    await run();
    await waitUntil("failure status", settled(sha), 20_000);
    const [pending, failure] = gh.statuses.get(sha)!;
    assert.equal(pending!.state, "pending");
    assert.equal(failure!.state, "failure");
    assert.match(failure!.description!, /^stack\/shop: .*app\/web.*deployment failed/);
    assert.ok(failure!.description!.length <= 140);
    assert.ok(!JSON.stringify(gh.statuses.get(sha)).includes(TOKEN), "no credential in a status");
    assert.equal(failure!.target_url, `${PUBLIC}/api/v1/stacks/shop`);
    // Nothing more is posted while the controller waits to retry (flapping on retries: github-units.test.ts).
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(states(sha), ["stackctl/default pending", "stackctl/default failure"]);
  });

  it("failure when the platform refuses the deployment", async () => {
    proxy = await startEchoProxy(sim.url, ["application.deploy"]);
    const sha = origin.commit({ "stacks/shop.yaml": stackYaml("shop", { project: "shop", ...web() }) });
    await run({ targetUrl: proxy.url });
    await waitUntil("failure status", settled(sha), 15_000);
    assert.deepEqual(states(sha), ["stackctl/default pending", "stackctl/default failure"]);
    assert.match(gh.statuses.get(sha)![1]!.description!, /^stack\/shop: /);
  });

  it("posts nothing for a repository that is not on GitHub", async () => {
    const sha = origin.commit({ "stacks/shop.yaml": stackYaml("shop", { project: "shop", ...web() }) });
    const c = await run({ github: { repository: undefined } });
    await waitUntil("applied", async () => (await c.json<{ items: { lastAppliedRevision: string | null }[] }>("/api/v1/stacks")).items[0]?.lastAppliedRevision === sha, 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(gh.requests.length, 0);
    assert.ok(c.logs.some((l) => l.msg === "commit statuses off" && /not a GitHub repository/.test(String(l.reason))));
  });

  it("reconciles as usual while GitHub is down; the status arrives once it is back", async () => {
    gh.down(true);
    const sha = origin.commit({ "stacks/shop.yaml": stackYaml("shop", { project: "shop", ...web() }) });
    const c = await run();
    await waitUntil("ready while GitHub is down", async () => (await c.get("/readyz")).status === 200, 15_000);
    const stacks = await c.json<{ items: { lastAppliedRevision: string | null }[] }>("/api/v1/stacks");
    assert.equal(stacks.items[0]!.lastAppliedRevision, sha);
    assert.ok(sim.store.findApplicationByName("web"));
    await waitUntil("a failed post counted", async () => /stackctl_github_status_requests_total\{result="github.unreachable"\} [1-9]/.test((await c.get("/metrics")).text), 15_000);
    assert.ok(c.logs.some((l) => l.msg === "commit status not posted: will retry" && l.code === "github.unreachable"));
    assert.equal(gh.statuses.size, 0);
    gh.down(false);
    await waitUntil("status posted after the outage", () => states(sha).includes("stackctl/default success"), 30_000);
    // Only the latest state is delivered after an outage: pending was superseded while it waited.
    assert.deepEqual(states(sha), ["stackctl/default success"]);
    assert.ok(!JSON.stringify(c.logs).includes(TOKEN));
  });
});
