import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { request } from "undici";
import { isProviderError } from "../controller/http/errors.ts";
import type { ActualApplication, ActualState, AppSpec } from "../controller/model.ts";
import { formatMarker } from "../controller/ownership.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import type { DokployProvider } from "../controller/providers/dokploy/index.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { appSpec } from "./helpers/plan-builders.ts";

const INSTANCE = "ci";
const marker = (stack: string) => formatMarker({ instance: INSTANCE, stack });

const WEB: AppSpec = {
  source: { kind: "image", image: "registry.example.test/shop/web:1.2.3", registry: { url: "registry.example.test", username: "bot", password: "reg-pass-$ecret" } },
  command: "node server.js --port 8080",
  env: { DATABASE_URL: "postgres://u:p@db:5432/shop?ssl=true", GREETING: "it's \"quoted\"", PEM: "-----BEGIN-----\nabc\n-----END-----", EMPTY: "", HASH: "#1" },
  buildArgs: { NODE_ENV: "production" },
  ports: [8080],
  replicas: 2,
  cpu: 0.5,
  memoryBytes: 512 * 1024 * 1024,
  volumes: [
    { type: "volume", name: "shop-data", mountPath: "/data", readOnly: false },
    { type: "bind", hostPath: "/srv/shop/config", mountPath: "/config", readOnly: false },
  ],
  healthcheck: { type: "command", command: ["curl", "-fsS", "http://localhost:8080/health"], intervalMs: 30_000, timeoutMs: 5_000, retries: 3 },
  state: "running",
};

const WORKER: AppSpec = appSpec({
  source: { kind: "git", url: "https://git.example.test/acme/worker.git", branch: "release/1.x", path: "/services/worker", build: { type: "dockerfile", dockerfile: "docker/Dockerfile.prod" } },
  ports: [],
});

/** The spec as observe() can know it: Dokploy has no application port list. */
const observable = (spec: AppSpec): Partial<AppSpec> => {
  const { ports: _ports, ...rest } = spec;
  return rest;
};

function findApp(state: ActualState, project: string, env: string, app: string): ActualApplication {
  const p = state.projects.find((x) => x.name === project);
  const e = p?.environments.find((x) => x.name === env);
  const a = e?.applications.find((x) => x.name === app);
  assert.ok(a, `${project}/${env}/${app} not observed`);
  return a;
}

describe("dokploy provider against the simulator", () => {
  let sim: DokploySimulator;
  let provider: DokployProvider;
  const warnings: string[] = [];

  before(async () => {
    sim = await startDokploySimulator({ seed: 7 });
    provider = createDokployProvider({ url: sim.url, apiKey: sim.apiKey, onWarning: (m) => warnings.push(m) });
  });
  after(async () => {
    await provider.close();
    await sim.close();
  });

  const ids = { project: "", env: "", web: "", worker: "", domain: "" };

  it("creates a project (tagged), an environment and fully configured applications", async () => {
    const project = await provider.createProject("shop", marker("shop"));
    assert.ok(project.defaultEnvironment);
    assert.equal(project.defaultEnvironment.name, "production");
    ids.project = project.id;
    ids.env = (await provider.createEnvironment(project.id, "staging", marker("shop"))).id;
    const ref = { projectId: ids.project, environmentId: ids.env, environmentName: "staging" };
    ids.web = (await provider.createApplication(ref, "web", marker("shop"), WEB)).id;
    ids.worker = (await provider.createApplication(ref, "worker", marker("shop"), WORKER)).id;
    ids.domain = (await provider.createDomain(ids.web, { host: "shop.example.test", path: "/", port: 8080, https: true })).id;
    await provider.deployApplication(ids.web);
    await provider.deployApplication(ids.worker);
    await sim.store.settled();
    assert.deepEqual(warnings, []);

    const res = await request(`${sim.url}/api/project.one?projectId=${ids.project}`, { headers: { "x-api-key": sim.apiKey } });
    const row = (await res.body.json()) as { projectTags: { tag: { name: string } }[] };
    assert.deepEqual(row.projectTags.map((t) => t.tag.name), ["stackctl"]);
  });

  it("observes what it wrote (round trip) in 1 + P + A requests", async () => {
    const before = sim.requests.length;
    const state = await provider.observe({ instance: INSTANCE, projectNames: new Set() });
    assert.equal(sim.requests.length - before, 1 + 1 + 2);
    const project = state.projects.find((p) => p.id === ids.project)!;
    assert.equal(project.detailed, true);
    assert.deepEqual(project.owner, { instance: INSTANCE, stack: "shop" });
    const staging = project.environments.find((e) => e.name === "staging")!;
    assert.deepEqual(staging.owner, { instance: INSTANCE, stack: "shop" });
    const web = findApp(state, "shop", "staging", "web");
    assert.deepEqual(web.owner, { instance: INSTANCE, stack: "shop" });
    assert.deepEqual(web.spec, observable(WEB));
    assert.deepEqual(web.domains, [{ id: ids.domain, host: "shop.example.test", path: "/", port: 8080, https: true }]);
    assert.deepEqual(findApp(state, "shop", "staging", "worker").spec, observable(WORKER));
  });

  it("updates only the changed fields and observes them back", async () => {
    const next: AppSpec = {
      ...WEB,
      source: { kind: "image", image: "nginx:1.27-alpine", registry: null },
      env: { ONLY: "one\nline two" },
      cpu: null,
      memoryBytes: 256 * 1024 * 1024,
      volumes: [{ type: "volume", name: "shop-data-v2", mountPath: "/data", readOnly: false }, { type: "bind", hostPath: "/srv/logs", mountPath: "/logs", readOnly: false }],
      healthcheck: null,
      state: "stopped",
    };
    const before = sim.requests.length;
    await provider.updateApplication(ids.web, next, ["source", "env", "cpu", "memoryBytes", "volumes", "healthcheck", "state"], marker("shop"));
    const calls = sim.requests.slice(before).map((r) => r.path.replace("/api/", ""));
    assert.deepEqual(calls, [
      "application.saveDockerProvider",
      "application.saveEnvironment",
      "application.update",
      "application.one",
      "mounts.update",
      "mounts.create",
      "mounts.remove",
      "application.stop",
    ]);
    const state = await provider.observe({ instance: INSTANCE, projectNames: new Set(["shop"]) });
    assert.deepEqual(findApp(state, "shop", "staging", "web").spec, observable(next));

    await provider.updateDomain(ids.web, ids.domain, { host: "shop.example.test", path: "/", port: 80, https: false });
    const again = await provider.observe({ instance: INSTANCE, projectNames: new Set(["shop"]) });
    assert.deepEqual(findApp(again, "shop", "staging", "web").domains, [{ id: ids.domain, host: "shop.example.test", path: "/", port: 80, https: false }]);
  });

  it("switches a source from Git to an image and back", async () => {
    const image: AppSpec = { ...WORKER, source: { kind: "image", image: "busybox", registry: null } };
    await provider.updateApplication(ids.worker, image, ["source"]);
    let state = await provider.observe({ instance: INSTANCE, projectNames: new Set(["shop"]) });
    assert.deepEqual(findApp(state, "shop", "staging", "worker").spec?.source, image.source);
    const railpack: AppSpec = { ...WORKER, source: { kind: "git", url: "https://git.example.test/acme/worker.git", branch: "main", path: "/", build: { type: "railpack", dockerfile: null } } };
    await provider.updateApplication(ids.worker, railpack, ["source"]);
    state = await provider.observe({ instance: INSTANCE, projectNames: new Set(["shop"]) });
    assert.deepEqual(findApp(state, "shop", "staging", "worker").spec?.source, railpack.source);
  });

  it("keeps observing through 500s, 429s and dropped connections", async () => {
    const flaky = createDokployProvider({ url: sim.url, apiKey: sim.apiKey, retries: 8 });
    after(() => flaky.close());
    sim.setFaults({ errorRate: 0.2, rateLimit429Rate: 0.1, dropRate: 0.1 });
    try {
      const state = await flaky.observe({ instance: INSTANCE, projectNames: new Set(["shop"]) });
      assert.equal(findApp(state, "shop", "staging", "worker").spec?.replicas, 1);
    } finally {
      sim.setFaults({ errorRate: 0, rateLimit429Rate: 0, dropRate: 0 });
    }
  });

  it("explains a spent key without leaking it", async () => {
    sim.setFaults({ unauthorizedAfter: 0 });
    try {
      await assert.rejects(provider.observe({ instance: INSTANCE, projectNames: new Set() }), (err: unknown) => {
        assert.ok(isProviderError(err, "http.unauthorized"));
        assert.match(err.message, /^dokploy project\.all: 401 .*rate limit is spent/);
        assert.ok(!err.message.includes(sim.apiKey));
        return true;
      });
    } finally {
      sim.setFaults({ unauthorizedAfter: undefined });
    }
  });

  it("deletes domains, applications, the environment and the project", async () => {
    await provider.deleteDomain(ids.web, ids.domain);
    await provider.deleteApplication(ids.web);
    await provider.deleteApplication(ids.worker);
    await provider.deleteEnvironment({ projectId: ids.project, environmentId: ids.env, environmentName: "staging" });
    await provider.deleteProject(ids.project);
    const state = await provider.observe({ instance: INSTANCE, projectNames: new Set(["shop"]) });
    assert.equal(state.projects.find((p) => p.id === ids.project), undefined);
    await assert.rejects(provider.deleteProject(ids.project), (err: unknown) => isProviderError(err, "http.not-found"));
  });
});
