/**
 * The Coolify provider against the simulator: a full round trip (what stackctl writes reads back equal), the
 * request cost of observe, env flags kept across updates, fingerprints for hidden values, capability issues, and
 * a burst of writes kept under the server's rate limit.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createCoolifyProvider } from "../controller/providers/coolify/index.ts";
import { HIDDEN_CHANGED } from "../controller/providers/coolify/env.ts";
import type { AppSpec } from "../controller/model.ts";
import { startCoolifySimulator } from "../simulators/coolify/server.ts";

const spec: AppSpec = {
  source: { kind: "image", image: "ghcr.io/acme/web:1.2.3", registry: null },
  command: "node server.js",
  env: { A: "1", MULTI: "x\ny", BOTH: "same" },
  buildArgs: { BOTH: "same", ONLY_BUILD: "b" },
  ports: [3000],
  replicas: 1,
  cpu: 0.5,
  memoryBytes: 512 * 1024 * 1024,
  volumes: [],
  healthcheck: { type: "http", path: "/healthz", port: 3000, intervalMs: 10_000, timeoutMs: 5_000, retries: 3 },
  state: "running",
};
const domain = { host: "web.example.com", path: "/", port: 3000, https: true };

/** A simulator with one deployed application; when any step of the set-up fails, it is closed before the error goes on. */
async function setup(opts: Parameters<typeof startCoolifySimulator>[0] = {}) {
  const sim = await startCoolifySimulator({ deleteDelayMs: 30, ...opts });
  const provider = createCoolifyProvider({ url: sim.url, token: sim.token, server: "localhost", rateLimit: { requestsPerSecond: 1000 }, deletePollMs: 10 });
  const close = async () => {
    await provider.close();
    await sim.close();
  };
  try {
    const project = await provider.createProject("shop", "[managed-by stackctl instance=ci stack=shop]");
    const env = { projectId: project.id, environmentId: project.defaultEnvironment!.id, environmentName: "production" };
    const app = await provider.createApplication(env, "web", "[managed-by stackctl instance=ci stack=shop]", spec);
    await provider.createDomain(app.id, domain);
    await provider.deployApplication(app.id);
    while (sim.store.deploys.busy()) await new Promise((r) => setTimeout(r, 5)); // the deployment runs in the background
    const observe = (desired = true) => provider.observe({ instance: "ci", projectNames: new Set(["shop"]), ...(desired ? { desiredValues: () => ({ env: spec.env, buildArgs: spec.buildArgs }) } : {}) });
    return { sim, provider, app, env, observe, close };
  } catch (err) {
    await close();
    throw err;
  }
}

test("round trip: the observed spec equals the desired one, twice, in 1 + P + 3 + 2A requests", async () => {
  const t = await setup();
  try {
    const state = await t.observe();
    const project = state.projects.find((p) => p.name === "shop")!;
    assert.deepEqual(project.owner, { instance: "ci", stack: "shop" });
    const app = project.environments[0]!.applications[0]!;
    assert.equal(app.owner?.stack, "shop");
    assert.deepEqual(app.spec, spec);
    assert.deepEqual(app.domains, [{ id: "web.example.com/", ...domain }]);
    const before = t.sim.requests.length;
    assert.deepEqual(await t.observe(), state);
    assert.equal(t.sim.requests.length - before, 7, "GET /projects, /projects/{uuid}, /applications, /services, /databases, /applications/{uuid}/envs and /storages");
    assert.ok(t.sim.store.applications[0]!.tags.includes("stackctl"));
  } finally {
    await t.close();
  }
});

test("env updates keep every flag and delete removed keys with their preview copies", async () => {
  const t = await setup();
  try {
    const next = { ...spec, env: { A: "2", MULTI: "x\ny", BOTH: "same" }, buildArgs: { BOTH: "same" } };
    await t.provider.updateApplication(t.app.id, next, ["env", "buildArgs"]);
    const rows = t.sim.store.envs.filter((e) => !e.is_preview);
    const a = rows.find((r) => r.key === "A")!;
    assert.deepEqual([a.value, a.is_literal, a.is_runtime, a.is_buildtime], ["2", true, true, false]);
    assert.equal(rows.find((r) => r.key === "MULTI")!.is_multiline, true);
    assert.equal(t.sim.store.envs.some((e) => e.key === "ONLY_BUILD"), false);
  } finally {
    await t.close();
  }
});

test("an image change is a PATCH Coolify accepts; a Git application cannot become an image one", async () => {
  const t = await setup();
  try {
    const image = { kind: "image" as const, image: "ghcr.io/acme/web:1.2.4", registry: null };
    await t.provider.updateApplication(t.app.id, { ...spec, source: image }, ["source"]);
    const app = (await t.observe()).projects[0]!.environments[0]!.applications[0]!;
    assert.deepEqual(app.spec?.source, image);
    const git = { kind: "git" as const, url: "https://github.com/acme/api.git", branch: "main", path: "/", build: { type: "nixpacks" as const, dockerfile: null } };
    const api = await t.provider.createApplication(t.env, "api", "[managed-by stackctl instance=ci stack=shop]", { ...spec, source: git, env: {}, buildArgs: {} });
    await assert.rejects(t.provider.updateApplication(api.id, { ...spec, source: image }, ["source"]), /cannot turn a nixpacks application into an image one/);
  } finally {
    await t.close();
  }
});

test("hidden values: fingerprints tell an unchanged value from a changed one, never exposing it", async () => {
  const t = await setup({ canReadSensitive: false });
  try {
    let app = (await t.observe()).projects[0]!.environments[0]!.applications[0]!;
    assert.deepEqual(app.spec?.env, spec.env);
    assert.ok(!JSON.stringify(t.sim.store.envs.map((e) => e.comment)).includes("x\ny"));
    const changed = await t.provider.observe({ instance: "ci", projectNames: new Set(["shop"]), desiredValues: () => ({ env: { ...spec.env, A: "new" }, buildArgs: spec.buildArgs }) });
    app = changed.projects[0]!.environments[0]!.applications[0]!;
    assert.equal(app.spec?.env?.A, HIDDEN_CHANGED);
    app = (await t.observe(false)).projects[0]!.environments[0]!.applications[0]!;
    assert.equal(app.spec?.env, undefined, "without desired values a hidden value is unknown");
  } finally {
    await t.close();
  }
});

test("delete waits for the asynchronous job, then the environment and project can go", async () => {
  const t = await setup({ deleteDelayMs: 80 });
  try {
    await t.provider.deleteApplication(t.app.id);
    await t.provider.deleteProject(t.env.projectId);
    assert.equal(t.sim.store.projects.length, 0);
  } finally {
    await t.close();
  }
});

test("capability issues: short names, read-only volumes, replicas, command health checks", () => {
  const provider = createCoolifyProvider({ url: "http://127.0.0.1:9", token: "1|x", server: "s" });
  assert.deepEqual(provider.unsupportedStack("ab", "qa").map((i) => i.field), ["spec.project", "spec.environment"]);
  const bad: AppSpec = { ...spec, replicas: 2, volumes: [{ type: "volume", name: "d", mountPath: "/d", readOnly: true }], healthcheck: { type: "command", command: ["true"], intervalMs: 1000, timeoutMs: 1000, retries: 1 } };
  assert.deepEqual(provider.unsupported(bad, "a").map((i) => i.field), ["a.replicas", "a.volumes[0].readOnly", "a.healthcheck"]);
  assert.deepEqual(provider.unsupported(spec, "a"), []);
  const ssh: AppSpec = { ...spec, source: { kind: "git", url: "git@github.com:acme/web.git", branch: "main", path: "/", build: { type: "dockerfile", dockerfile: "Dockerfile" } } };
  assert.deepEqual(provider.unsupported(ssh, "a").map((i) => i.field), ["a.git.url"]);
  assert.deepEqual(provider.unsupported({ ...ssh, source: { ...ssh.source, url: "https://github.com/acme/web.git" } as AppSpec["source"] }, "a"), []);
});

test("a burst of 300 writes stays under the server's limit: no 429 reaches the caller", async () => {
  const sim = await startCoolifySimulator({ rateLimitPerMinute: 100, rateLimitWindowMs: 1000 });
  const provider = createCoolifyProvider({ url: sim.url, token: sim.token, server: "localhost", rateLimit: { requestsPerSecond: 80 } });
  try {
    const { id } = await provider.createProject("burst", "[managed-by stackctl instance=ci stack=burst]");
    await Promise.all(Array.from({ length: 300 }, (_, i) => provider.updateProject(id, `[managed-by stackctl instance=ci stack=b${i}]`)));
    assert.equal(sim.requests.filter((r) => r.status === 429).length, 0);
  } finally {
    await provider.close();
    await sim.close();
  }
});

test("a stack's reconcile reads its known project by uuid and its environment's applications, never the team's list", async () => {
  const t = await setup();
  try {
    const full = await t.observe();
    const request = { instance: "ci", projectNames: new Set(["shop"]), onlyNamed: true, knownProjectsOnly: true, desiredValues: () => ({ env: spec.env, buildArgs: spec.buildArgs }) };
    const before = t.sim.requests.length;
    const direct = await t.provider.observe(request);
    const paths = t.sim.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(direct.projects, full.projects.filter((p) => p.name === "shop"));
    assert.ok(!paths.some((p) => p === "GET /api/v1/applications" || p === "GET /api/v1/projects"), paths.join(", "));
    // The team's services and databases are listed too: they keep an environment from removal.
    assert.equal(paths.length, 6, `the project, its environment's applications, services, databases, and the app's envs and storages: ${paths.join(", ")}`);
    // A project that vanished (or was renamed) falls back to the full read.
    const uuid = direct.projects[0]!.id;
    t.sim.store.projects.find((p) => p.uuid === uuid)!.name = "renamed";
    const after = await t.provider.observe(request);
    assert.deepEqual(after.projects.filter((p) => p.detailed), [], "no project called shop any more");
  } finally {
    await t.close();
  }
});
