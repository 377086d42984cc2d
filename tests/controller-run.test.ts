/**
 * `stackctl run` as a real process against the Dokploy simulator, fed by a real Git origin (a local bare
 * repository): webhooks and intervals, teardown of removed stacks, a broken manifest stalling only its stack, a
 * vanished remote, drift, and forged webhooks.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { ControllerProcess, GitOrigin } from "./helpers/controller.ts";
import { githubPush, gitOrigin, scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";

const SECRET = "hook-secret-for-tests";
const web = (image = "nginx:1.27") => ({ applications: [{ name: "web", image, ports: [80] }] });
type Stacks = { items: { name: string; conditions: { type: string; status: string; reason: string; message: string }[]; lastAppliedRevision: string | null }[]; source: { revision: string | null; lastError: string | null } };

let sim: DokploySimulator;
let origin: GitOrigin;
let scratch: ReturnType<typeof scratchDir>;
let controller: ControllerProcess | null;

beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 3 });
  origin = gitOrigin();
  scratch = scratchDir();
  controller = null;
});
afterEach(async () => {
  if (controller && controller.child.exitCode === null) await controller.stop();
  await sim.close();
  origin.cleanup();
  scratch.cleanup();
});

function run(extra: string[] = []): Promise<ControllerProcess> {
  const env = { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, STACKCTL_GITHUB_WEBHOOK_SECRET: SECRET, STACKCTL_WEBHOOK_TOKEN: "generic-token-1" };
  const args = ["--git", origin.bare, "--branch", "main", "--path", "stacks", "--data-dir", `${scratch.dir}/data`, "--interval", "1h", ...extra];
  return startController(args, env, scratch.dir).then((c) => (controller = c));
}

async function push(c: ControllerProcess): Promise<number> {
  const hook = githubPush(SECRET);
  return c.post("/hooks/github", hook.body, hook.headers);
}

const condition = (s: Stacks, name: string, type = "Ready") => s.items.find((i) => i.name === name)?.conditions.find((c) => c.type === type);

describe("stackctl run with a Git source", () => {
  it("applies a commit within 2 seconds of a GitHub webhook, and records the revision", async () => {
    origin.commit({ "stacks/README.md": "manifests" });
    const c = await run();
    await waitUntil("ready", async () => (await c.get("/readyz")).status === 200);
    const sha = origin.commit({ "stacks/alice.yaml": stackYaml("alice", { project: "ai-stack-alice", ...web() }) });
    const sent = Date.now();
    assert.equal(await push(c), 202);
    await waitUntil("alice applied", () => sim.store.findApplicationByName("web"), 2000, 20);
    assert.ok(Date.now() - sent <= 2000);
    const status = await waitUntil("status", async () => {
      const s = await c.json<Stacks>("/api/v1/stacks");
      return condition(s, "alice")?.status === "True" ? s : null;
    });
    assert.equal(status.items[0]!.lastAppliedRevision, sha);
    assert.equal(status.source.revision, sha);
  });

  it("applies a commit after the interval without a webhook", async () => {
    origin.commit({ "stacks/README.md": "manifests" });
    const c = await run(["--interval", "1s"]);
    await waitUntil("ready", async () => (await c.get("/readyz")).status === 200);
    origin.commit({ "stacks/bob.yaml": stackYaml("bob", { project: "bob", ...web() }) });
    await waitUntil("bob applied by polling", () => sim.store.findProjectByName("bob"), 8000);
  });

  it("tears a stack down when a commit removes its manifest, and drops its status", async () => {
    origin.commit({
      "stacks/a.yaml": stackYaml("a", { project: "pa", ...web() }),
      "stacks/b.yaml": stackYaml("b", { project: "pb", ...web() }),
      "stacks/c.yaml": stackYaml("c", { project: "pc", ...web() }),
    });
    const c = await run();
    await waitUntil("all applied", () => ["pa", "pb", "pc"].every((p) => sim.store.findProjectByName(p)));
    origin.commit({ "stacks/c.yaml": null });
    assert.equal(await push(c), 202);
    await waitUntil("pc deleted", () => !sim.store.findProjectByName("pc"));
    assert.ok(sim.store.findProjectByName("pa") && sim.store.findProjectByName("pb"), "the other stacks stay");
    await waitUntil("status of c dropped", async () => !(await c.json<Stacks>("/api/v1/stacks")).items.some((i) => i.name === "c"));
    assert.equal((await c.get("/api/v1/stacks/c")).status, 404);
  });

  it("stalls only the stack whose manifest breaks, leaving it untouched, and keeps applying the others", async () => {
    origin.commit({ "stacks/a.yaml": stackYaml("a", { project: "pa", ...web() }), "stacks/b.yaml": stackYaml("b", { project: "pb", ...web() }) });
    const c = await run();
    await waitUntil("both applied", () => sim.store.findProjectByName("pa") && sim.store.findProjectByName("pb"));
    const broken = stackYaml("a", { project: "pa", ...web("nginx:1.28") }).replace("ports:", "portz:");
    origin.commit({ "stacks/a.yaml": broken, "stacks/b.yaml": stackYaml("b", { project: "pb", ...web("nginx:1.28") }) });
    assert.equal(await push(c), 202);
    const status = await waitUntil("a stalled", async () => {
      const s = await c.json<Stacks>("/api/v1/stacks");
      return condition(s, "a", "Stalled")?.status === "True" ? s : null;
    });
    assert.equal(condition(status, "a", "Stalled")!.reason, "InvalidManifest");
    assert.match(condition(status, "a", "Stalled")!.message, /a\.yaml:\d+:\d+: .*portz/);
    await waitUntil("b updated", () => sim.store.applicationsIn(sim.store.environmentsOf(sim.store.findProjectByName("pb")!.projectId)[0]!.environmentId)[0]?.dockerImage === "nginx:1.28");
    const aApp = sim.store.applicationsIn(sim.store.environmentsOf(sim.store.findProjectByName("pa")!.projectId)[0]!.environmentId)[0]!;
    assert.equal(aApp.dockerImage, "nginx:1.27", "the broken stack is left as it was");
    const metrics = (await c.get("/metrics")).text;
    assert.match(metrics, /stackctl_stacks\{condition="Stalled"\} 1/);
  });

  it("keeps everything in place when the remote goes away, and says so in /readyz, metrics and status", async () => {
    origin.commit({ "stacks/a.yaml": stackYaml("a", { project: "pa", ...web() }) });
    const c = await run();
    await waitUntil("ready", async () => (await c.get("/readyz")).status === 200);
    origin.cleanup(); // the remote is gone
    assert.equal(await push(c), 202);
    const ready = await waitUntil("not ready", async () => {
      const r = await c.get("/readyz");
      return r.status === 503 ? r : null;
    });
    assert.match(ready.text, /source/);
    const status = await c.json<Stacks>("/api/v1/stacks");
    assert.ok(status.source.lastError, "the source's last error is reported");
    assert.equal(condition(status, "a")?.status, "True", "the stack stays ready on its last good revision");
    assert.match((await c.get("/metrics")).text, /stackctl_git_fetch_failures_total 1/);
    assert.ok(sim.store.findProjectByName("pa"), "nothing was deleted");
  });

  it("restores a drifted application at the next drift check", async () => {
    origin.commit({ "stacks/a.yaml": stackYaml("a", { project: "pa", ...web() }) });
    await run(["--drift-interval", "2s"]);
    const app = await waitUntil("applied", () => sim.store.findApplicationByName("web"));
    sim.store.patchApplication(app.applicationId, { dockerImage: "evil:latest" });
    await waitUntil("drift undone", () => sim.store.findApplicationByName("web")?.dockerImage === "nginx:1.27", 8000);
  });

  it("refuses a forged GitHub webhook with 401 and fetches nothing; a valid bearer hook triggers", async () => {
    origin.commit({ "stacks/README.md": "manifests" });
    const c = await run();
    await waitUntil("ready", async () => (await c.get("/readyz")).status === 200);
    origin.commit({ "stacks/a.yaml": stackYaml("a", { project: "pa", ...web() }) });
    const forged = githubPush("not-the-secret");
    assert.equal(await c.post("/hooks/github", forged.body, forged.headers), 401);
    assert.equal(await c.post("/hooks/generic", "", { authorization: "Bearer wrong" }), 401);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(sim.store.findProjectByName("pa"), undefined, "a refused hook triggers nothing");
    assert.equal(await c.post("/hooks/generic", "", { authorization: "Bearer generic-token-1" }), 202);
    await waitUntil("applied after the bearer hook", () => sim.store.findProjectByName("pa"), 3000);
  });
});

describe("stackctl run across restarts", () => {
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    it(`${signal === "SIGTERM" ? "exits 0 on SIGTERM" : "is killed (SIGKILL)"} in the middle of an apply, and a restart converges with no duplicates`, async () => {
      const names = ["a", "b", "c", "d"];
      origin.commit(Object.fromEntries(names.map((n) => [`stacks/${n}.yaml`, stackYaml(n, { project: `p${n}`, ...web() })])));
      sim.setFaults({ latencyMs: 150 });
      const first = await run(["--workers", "2"]);
      await waitUntil("a first write", () => sim.requests.some((r) => r.method === "POST"), 10_000, 10);
      const code = await first.stop(signal);
      if (signal === "SIGTERM") {
        assert.equal(code, 0, first.stderr());
        assert.ok(first.logs.some((l) => l.msg === "shutting down: finishing work in flight"));
      }
      const appsOf = (n: string) => {
        const project = sim.store.findProjectByName(`p${n}`);
        return project ? sim.store.environmentsOf(project.projectId).flatMap((e) => sim.store.applicationsIn(e.environmentId)) : [];
      };
      assert.ok(names.some((n) => appsOf(n).length === 0), "the stop came mid-apply");
      sim.setFaults({ latencyMs: 0 });
      const second = await run();
      await waitUntil("all ready after the restart", async () => {
        const s = await second.json<Stacks>("/api/v1/stacks");
        return names.every((n) => condition(s, n)?.status === "True");
      });
      for (const n of names) {
        assert.equal(sim.store.projects.filter((p) => p.name === `p${n}`).length, 1, `one project p${n}`);
        assert.equal(appsOf(n).length, 1, `one application in p${n}`);
      }
    });
  }

  it("keeps the stacks' status across a restart, and a restart with the remote gone deletes nothing", async () => {
    const sha = origin.commit({ "stacks/a.yaml": stackYaml("a", { project: "pa", ...web() }) });
    const first = await run();
    await waitUntil("ready", async () => (await first.get("/readyz")).status === 200);
    assert.equal(await first.stop(), 0);
    origin.cleanup();
    const second = await run(["--data-dir", `${scratch.dir}/data`]);
    const status = await second.json<Stacks>("/api/v1/stacks");
    assert.equal(status.items.find((i) => i.name === "a")?.lastAppliedRevision, sha, "status read back from the state file");
    await waitUntil("not ready: source", async () => (await second.get("/readyz")).status === 503);
    assert.ok(sim.store.findProjectByName("pa"));
  });
});

describe("stackctl run with a directory source", () => {
  it("applies a saved manifest within about a second", async () => {
    const stacks = `${scratch.dir}/stacks`;
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(stacks);
    const c = await startController(["--dir", stacks, "--data-dir", `${scratch.dir}/data`], { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey }, scratch.dir);
    controller = c;
    await waitUntil("ready", async () => (await c.get("/readyz")).status === 200);
    writeFileSync(`${stacks}/a.yaml`, stackYaml("a", { project: "pa", ...web() }));
    await waitUntil("applied from the directory", () => sim.store.findProjectByName("pa"), 2000, 20);
  });
});

describe("stackctl run ordering and inputs", () => {
  it("waits for dependsOn, skips suspended stacks, and re-applies when a secret file changes (at the drift interval, not at every fetch)", async () => {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const secrets = `${scratch.dir}/secrets`;
    mkdirSync(secrets);
    writeFileSync(`${secrets}/API_TOKEN`, "first-token-value\n");
    origin.commit({
      "stacks/db.yaml": stackYaml("db", { project: "pdb", applications: [{ name: "db", image: "postgres:17", env: { TOKEN: { secret: "API_TOKEN" } } }] }),
      "stacks/api.yaml": stackYaml("api", { project: "papi", dependsOn: ["db"], ...web() }),
      "stacks/frozen.yaml": stackYaml("frozen", { project: "pfrozen", suspend: true, ...web() }),
    });
    const env = { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, STACKCTL_SECRETS_DIR: secrets };
    const args = ["--git", origin.bare, "--path", "stacks", "--data-dir", `${scratch.dir}/data`, "--interval", "500ms", "--drift-interval", "10s"];
    const c = (controller = await startController(args, env, scratch.dir));
    const started = Date.now();
    await waitUntil("api applied", () => sim.store.findProjectByName("papi"));
    const order = sim.store.projects.map((p) => p.name);
    assert.ok(order.indexOf("pdb") < order.indexOf("papi"), `db was applied before api: ${order.join(", ")}`);
    const s = await c.json<Stacks>("/api/v1/stacks");
    assert.equal(condition(s, "frozen")?.reason, "Suspended");
    assert.equal(sim.store.findProjectByName("pfrozen"), undefined, "a suspended stack is left alone");
    writeFileSync(`${secrets}/API_TOKEN`, "second-token-value\n");
    // The revision is unchanged: the fetches every 500 ms do not read the manifests again (and resolve no secret)…
    await new Promise((r) => setTimeout(r, 2500));
    if (Date.now() - started < 9000) assert.doesNotMatch(String(sim.store.findApplicationByName("db")?.env), /second-token-value/, "read again before the drift interval");
    // …the drift interval does.
    await waitUntil("secret re-applied", () => String(sim.store.findApplicationByName("db")?.env).includes("second-token-value"), 20_000);
  });
});

describe("stackctl run when things go wrong", () => {
  it("marks a stack AuthenticationFailed and not ready while the target refuses the key, and recovers once it accepts it", async () => {
    origin.commit({ "stacks/a.yaml": stackYaml("a", { project: "pa", ...web() }) });
    const c = await run(["--drift-interval", "2s"]);
    await waitUntil("ready", async () => (await c.get("/readyz")).status === 200);
    sim.setFaults({ unauthorizedAfter: 0 });
    const failed = await waitUntil("refused", async () => {
      const s = await c.json<Stacks>("/api/v1/stacks");
      return condition(s, "a")?.status === "False" ? condition(s, "a") : null;
    }, 8000);
    assert.equal(failed.reason, "AuthenticationFailed");
    const ready = await c.get("/readyz");
    assert.equal(ready.status, 503);
    assert.match(ready.text, /target\/default/);
    assert.doesNotMatch(ready.text + failed.message, new RegExp(sim.apiKey), "the key is never echoed");
    sim.setFaults({ unauthorizedAfter: 1_000_000 });
    // The stack retries on its own backoff; readiness only needs the target to answer again.
    await waitUntil("stack ready again", async () => condition(await c.json<Stacks>("/api/v1/stacks"), "a")?.status === "True", 15_000);
    assert.equal((await c.get("/readyz")).status, 200);
  });

  it("refuses a teardown of most stacks, marks them DeletionRefused and deletes nothing", async () => {
    origin.commit({
      "stacks/a.yaml": stackYaml("a", { project: "pa", ...web() }),
      "stacks/b.yaml": stackYaml("b", { project: "pb", ...web() }),
      "stacks/c.yaml": stackYaml("c", { project: "pc", ...web() }),
    });
    const c = await run();
    await waitUntil("all applied", () => ["pa", "pb", "pc"].every((p) => sim.store.findProjectByName(p)));
    origin.commit({ "stacks/a.yaml": null, "stacks/b.yaml": null });
    assert.equal(await push(c), 202);
    const status = await waitUntil("refusal recorded", async () => {
      const s = await c.json<Stacks>("/api/v1/stacks");
      return ["a", "b"].every((n) => condition(s, n, "Stalled")?.reason === "DeletionRefused") ? s : null;
    });
    assert.match(condition(status, "a", "Stalled")!.message, /refusing to tear down 2 of 3 managed stacks/);
    assert.equal(condition(status, "c")?.status, "True");
    assert.ok(["pa", "pb", "pc"].every((p) => sim.store.findProjectByName(p)), "nothing was deleted");
  });
});

describe("stackctl run when a stack moves", () => {
  it("prunes what a stack left in its old project when it moves to another", async () => {
    origin.commit({ "stacks/a.yaml": stackYaml("a", { project: "old-home", ...web() }) });
    const c = await run();
    await waitUntil("applied", async () => condition(await c.json<Stacks>("/api/v1/stacks"), "a")?.status === "True");
    origin.commit({ "stacks/a.yaml": stackYaml("a", { project: "new-home", ...web() }) });
    assert.equal(await push(c), 202);
    await waitUntil("moved", () => {
      const oldProject = sim.store.findProjectByName("old-home");
      const oldApps = oldProject ? sim.store.environmentsOf(oldProject.projectId).flatMap((e) => sim.store.applicationsIn(e.environmentId)) : [];
      const newProject = sim.store.findProjectByName("new-home");
      return newProject && oldApps.length === 0;
    });
  });
});
