/**
 * The controller's CLI (`get`, `reconcile`, `suspend`, `resume`, `events`) against `stackctl run` as a real
 * process, itself against the Dokploy simulator, all on 127.0.0.1: tables and JSON, a reconcile waited for, a
 * runtime suspension that holds across a restart and keeps a removed stack from being torn down, the token
 * required (and never printed), and the mutating endpoints answering 404 while no token is configured.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { run as events } from "../cmd/events.ts";
import { run as get } from "../cmd/get.ts";
import { run as reconcile } from "../cmd/reconcile.ts";
import { resume, run as suspend } from "../cmd/suspend.ts";
import type { Verb } from "../cmd/io.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runVerb } from "./helpers/cli.ts";
import type { ControllerProcess } from "./helpers/controller.ts";
import { scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";

const TOKEN = "api-token-for-the-tests-3141";
const web = (image = "nginx:1.27") => ({ applications: [{ name: "web", image, ports: [80] }] });

describe("the controller CLI", () => {
  let sim: DokploySimulator;
  let scratch: ReturnType<typeof scratchDir>;
  let controller: ControllerProcess;
  const stacksDir = () => join(scratch.dir, "stacks");
  const start = async (withToken: boolean, waitReady = true) => {
    const config = `apiVersion: stackctl.dev/v1alpha1\nkind: ControllerConfig\ntargets:\n  - { name: default, provider: dokploy, url: "${sim.url}", apiKey: { fromEnv: DOKPLOY_KEY } }\n${withToken ? "controller:\n  api:\n    token: { fromEnv: CONTROLLER_API_TOKEN }\n" : ""}`;
    writeFileSync(join(scratch.dir, "config.yaml"), config);
    const env = { DOKPLOY_KEY: sim.apiKey, CONTROLLER_API_TOKEN: TOKEN };
    controller = await startController(["--config", "config.yaml", "--dir", "stacks", "--data-dir", "data", "--interval", "1h", "--drift-interval", "1h"], env, scratch.dir);
    if (waitReady) await waitUntil("ready", async () => (await controller.get("/readyz")).status === 200, 20_000);
    return controller;
  };
  const cli = (verb: Verb, args: string[], token: string | undefined = TOKEN) => runVerb(verb, [...args, "--server", controller.url], { env: token ? { STACKCTL_API_TOKEN: token } : {}, cwd: scratch.dir });

  before(async () => {
    sim = await startDokploySimulator({ seed: 5 });
    scratch = scratchDir();
    mkdirSync(stacksDir());
  });
  after(async () => {
    if (controller.child.exitCode === null) await controller.stop();
    await sim.close();
    scratch.cleanup();
  });

  it("answers 404 on the mutating endpoints while no token is configured", async () => {
    await start(false, false);
    const out = await cli(reconcile, ["shop"]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /has no API token configured \(controller\.api\.token\): reconcile, suspend and resume are disabled \[api\.disabled\]/);
    assert.equal(await controller.post("/api/v1/stacks/shop/suspend", "", { authorization: `Bearer ${TOKEN}` }), 404);
    await controller.stop();
  });

  it("lists the stacks as a table, wide and as JSON, and describes one", async () => {
    writeFileSync(join(stacksDir(), "shop.yaml"), stackYaml("shop", { project: "shop", ...web() }));
    writeFileSync(join(stacksDir(), "blog.yaml"), stackYaml("blog", { project: "blog", applications: [{ name: "ghost", image: "ghost:5", ports: [2368] }] }));
    await start(true);
    const list = await cli(get, ["stacks"], undefined);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^NAME\s+TARGET\s+READY\s+REASON\s+REVISION\s+LAST APPLIED\s+AGE\n/);
    assert.match(list.stdout, /^blog\s+default\s+True\s+Succeeded\s+sha256:\S+\s+sha256:\S+\s+\d+s$/m);
    assert.match(list.stdout, /^shop\s+default\s+True\s+Succeeded/m);
    const wide = await cli(get, ["stacks", "-o", "wide"]);
    assert.match(wide.stdout, /SUSPENDED\s+LAST PLAN\s+LAST ERROR/);
    assert.match(wide.stdout, /^shop .* no\s+0 to delete, 3 to create, 0 to update, 0 to adopt, 1 to deploy\s+-$/m);
    const json = JSON.parse((await cli(get, ["stacks", "-o", "json"])).stdout) as { name: string }[];
    assert.deepEqual(json.map((s) => s.name), ["blog", "shop"]);
    const one = await cli(get, ["stack", "shop"]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^Ready:\s+True \(Succeeded\)/m);
    assert.match(one.stdout, /^Suspended:\s+no$/m);
    assert.match(one.stdout, /^Conditions:\n\s+TYPE\s+STATUS/m);
    assert.match(one.stdout, /^Inventory:\n  project\/shop environment\/production\n  app\/web$/m);
    assert.match(one.stdout, /^Last deployments:\n\s+TIME\s+APPLICATION\s+OUTCOME\s+MESSAGE\n\s+\S+\s+stack\/shop app\/web\s+started/m);
    assert.match(one.stdout, /^Recent reconciles:\n\s+TIME\s+OUTCOME/m);
    const missing = await cli(get, ["stack", "nope"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /stack\/nope: the controller does not know it/);
  });

  it("reconciles on request and waits for the result; refuses a wrong token without printing it", async () => {
    const waited = await cli(reconcile, ["shop", "--wait"]);
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(waited.stdout, /^stack\/shop: succeeded \(Succeeded\) in \d+\.\ds/m);
    const all = await cli(reconcile, ["--all", "--wait"]);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /stack\/blog: succeeded[\s\S]*stack\/shop: succeeded|stack\/shop: succeeded[\s\S]*stack\/blog: succeeded/);
    const wrong = await cli(reconcile, ["shop", "--token", "wrong-token-2718"], undefined);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /refused the token \[api\.unauthorized\]/);
    assert.doesNotMatch(wrong.stderr + wrong.stdout, /wrong-token-2718/);
    const queued = await cli(reconcile, ["shop"]);
    assert.equal(queued.code, 0);
    assert.equal(queued.stdout, "stack/shop: reconcile queued\n");
  });

  it("suspends a stack across a restart (drift not undone, removal not torn down), and resumes it", async () => {
    const paused = await cli(suspend, ["shop"]);
    assert.equal(paused.code, 0, paused.stderr);
    assert.match(paused.stdout, /^stack\/shop: suspended \(since \d{4}-/);
    assert.equal((await cli(suspend, ["blog"])).code, 0);
    await controller.stop();
    await start(true);
    const shown = await cli(get, ["stack", "shop"]);
    assert.match(shown.stdout, /^Suspended:\s+through the API since \d{4}-/m, "kept across the restart");
    sim.store.patchApplication(sim.store.findApplicationByName("web")!.applicationId, { dockerImage: "nginx:by-hand" });
    const skipped = await cli(reconcile, ["shop", "--wait"]);
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stdout, /^stack\/shop: skipped \(Suspended\).*suspended through the API/m);
    assert.equal(sim.store.findApplicationByName("web")!.dockerImage, "nginx:by-hand", "a suspended stack is left alone");
    rmSync(join(stacksDir(), "blog.yaml"));
    await waitUntil("blog dropped from the revision", async () => (await cli(reconcile, ["blog"])).code === 2, 15_000, 200);
    assert.equal((await cli(reconcile, ["--all", "--wait"])).code, 0);
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(sim.store.findApplicationByName("ghost"), "a stack paused through the API is not torn down");
    assert.match((await cli(get, ["stacks", "-o", "wide"])).stdout, /^blog .* api /m, "and its status stays, showing the pause");
    const resumed = await cli(resume, ["shop"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /^stack\/shop: resumed; a reconcile is queued$/m);
    await waitUntil("drift undone after resume", async () => /stack\/shop\s+succeeded/.test((await cli(events, ["shop"])).stdout), 15_000, 100);
    assert.equal(sim.store.findApplicationByName("web")!.dockerImage, "nginx:1.27");
  });

  it("shows the recent reconciles of every stack and of one", async () => {
    const all = await cli(events, []);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^TIME\s+STACK\s+OUTCOME\s+REASON\s+DURATION\s+PLAN\s+MESSAGE\n/);
    assert.match(all.stdout, /stack\/shop\s+skipped\s+Suspended/);
    assert.match(all.stdout, /stack\/shop\s+succeeded\s+Succeeded\s+\d+\.\ds\s+0 to delete, 0 to create, 1 to update, 0 to adopt, 1 to deploy/, "the resumed reconcile undid the drift");
    const one = JSON.parse((await cli(events, ["shop", "-o", "json"])).stdout) as { stack: string; outcome: string }[];
    assert.ok(one.length >= 2 && one.every((e) => e.stack === "shop"));
  });
});

describe("the controller CLI without a controller", () => {
  it("says the controller cannot be reached, and where", async () => {
    const { createServer } = await import("node:net");
    const probe = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => probe.once("listening", r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const out = await runVerb(get, ["stacks", "--server", `http://127.0.0.1:${port}`], { env: {}, cwd: process.cwd() });
    assert.equal(out.code, 2);
    assert.match(out.stderr, new RegExp(`cannot reach the controller at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED .*\\[api\\.unreachable\\]`));
  });
});
