/**
 * Simulator behaviour beyond the recordings: a working (simulated) Docker, mounts, the appName rule, persistence,
 * and the store helpers tests use for hand-made drift.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";

type Json = Record<string, any>;

function client(sim: DokploySimulator) {
  const headers = { "x-api-key": sim.apiKey, "content-type": "application/json" };
  return {
    async post(proc: string, body: unknown): Promise<{ status: number; body: any }> {
      const res = await fetch(`${sim.url}/api/${proc}`, { method: "POST", headers, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
    },
    async get(proc: string, query: Record<string, string> = {}): Promise<{ status: number; body: any }> {
      const res = await fetch(`${sim.url}/api/${proc}?${new URLSearchParams(query)}`, { headers });
      return { status: res.status, body: await res.json() };
    },
  };
}

let sim: DokploySimulator;
let api: ReturnType<typeof client>;
let environmentId: string;
before(async () => {
  sim = await startDokploySimulator({ seed: 1 });
  api = client(sim);
  environmentId = (await api.post("project.create", { name: "demo" })).body.environment.environmentId;
});
after(() => sim.close());

async function newApp(name: string, extra: Json = {}): Promise<Json> {
  const res = await api.post("application.create", { name, environmentId, ...extra });
  assert.equal(res.status, 200);
  return res.body;
}

test("appName: given names get a 6-char suffix, omitted ones a generated name", async () => {
  assert.match((await newApp("a", { appName: "My.Web" })).appName, /^my\.web-[a-z0-9]{6}$/, "lower-cased, suffixed");
  assert.equal((await api.post("application.create", { name: "c", environmentId, appName: "has space" })).status, 400);
  assert.match((await newApp("b")).appName, /^app-[a-z-]+-[a-z0-9]{6}$/);
});

test("with Docker: deploy runs then ends done, with a deployment row; start/stop set the status", async () => {
  const app = await newApp("web");
  const id = { applicationId: app.applicationId };
  const deploy = await api.post("application.deploy", id);
  assert.deepEqual(deploy, { status: 200, body: undefined });
  assert.equal((await api.get("application.one", id)).body.applicationStatus, "running");
  await sim.store.settled();
  const one = (await api.get("application.one", id)).body;
  assert.equal(one.applicationStatus, "done");
  assert.deepEqual(one.deployments.map((d: Json) => [d.title, d.status]), [["Manual deployment", "done"]]);
  const stop = await api.post("application.stop", id);
  assert.equal(stop.body.applicationStatus, "done", "stop answers the state before stopping");
  assert.equal((await api.get("application.one", id)).body.applicationStatus, "idle");
  assert.equal((await api.post("application.start", id)).status, 200);
  assert.equal((await api.get("application.one", id)).body.applicationStatus, "done");
});

test("mounts: create answers true, appear in application.one, update and remove answer the row", async () => {
  const app = await newApp("with-mounts");
  const created = await api.post("mounts.create", { type: "volume", volumeName: "data", mountPath: "/data", serviceId: app.applicationId });
  assert.deepEqual(created, { status: 200, body: true });
  let mounts = (await api.get("application.one", { applicationId: app.applicationId })).body.mounts;
  assert.equal(mounts.length, 1);
  assert.equal(mounts[0].serviceType, "application");
  const updated = await api.post("mounts.update", { mountId: mounts[0].mountId, mountPath: "/var/data" });
  assert.equal(updated.body.mountPath, "/var/data");
  assert.equal((await api.post("mounts.remove", { mountId: mounts[0].mountId })).body.mountId, mounts[0].mountId);
  mounts = (await api.get("application.one", { applicationId: app.applicationId })).body.mounts;
  assert.deepEqual(mounts, []);
  assert.equal((await api.post("mounts.remove", { mountId: "nope" })).status, 404);
  assert.equal((await api.post("mounts.create", { type: "bind", mountPath: "/x", serviceId: "nope" })).status, 400);
});

test("store helpers: hand-made drift is what the API reports", async () => {
  const app = await newApp("drifty");
  const found = sim.store.findApplicationByName("drifty");
  assert.equal(found?.applicationId, app.applicationId);
  assert.equal(sim.store.findApplicationByAppName(app.appName)?.name, "drifty");
  assert.ok(sim.store.patchApplication(app.applicationId, { dockerImage: "evil:latest", env: "X=1" }));
  const one = (await api.get("application.one", { applicationId: app.applicationId })).body;
  assert.equal(one.dockerImage, "evil:latest");
  assert.equal(one.env, "X=1", "env vars come back in clear");
  sim.store.deleteApplication(app.applicationId);
  assert.equal((await api.get("application.one", { applicationId: app.applicationId })).status, 404);
});

test("settings.getDokployVersion and /api/health", async () => {
  assert.deepEqual(await api.get("settings.getDokployVersion"), { status: 200, body: "v0.30.2" });
  const res = await fetch(`${sim.url}/api/health`);
  assert.deepEqual(await res.json(), { ok: true });
});

test("stateFile: state survives a restart", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dokploy-sim-"));
  const stateFile = join(dir, "state.json");
  try {
    const first = await startDokploySimulator({ stateFile, seed: 3 });
    let created;
    try {
      created = await client(first).post("project.create", { name: "kept" });
    } finally {
      await first.close();
    }
    const second = await startDokploySimulator({ stateFile, seed: 3 });
    try {
      const all = (await client(second).get("project.all")).body;
      assert.deepEqual(all.map((p: Json) => p.projectId), [created.body.project.projectId]);
      assert.equal(second.store.organizationId, first.store.organizationId);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
