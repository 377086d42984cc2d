/**
 * Volumes on Coolify, as storages: the calls chosen for each change (never a PATCH of `name`, no duplicate ever
 * sent), the provider's round trip against the simulator, and a per-user stack with a workspace volume applied
 * end to end, whose volume changes are deployed so that the container really mounts them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AppSpec, VolumeSpec } from "../controller/model.ts";
import { createCoolifyProvider } from "../controller/providers/coolify/index.ts";
import { coolifyUnsupported } from "../controller/providers/coolify/capabilities.ts";
import { storageOps } from "../controller/providers/coolify/storages.ts";
import { startCoolifySimulator } from "../simulators/coolify/server.ts";
import { assertApplied, runScenarios } from "./helpers/e2e-scenarios.ts";
import { coolifyFixture, simOf } from "./helpers/targets.ts";

const U = "app0uuid";
const vol = (name: string, mountPath: string): VolumeSpec => ({ type: "volume", name, mountPath, readOnly: false });
const bind = (hostPath: string, mountPath: string): VolumeSpec => ({ type: "bind", hostPath, mountPath, readOnly: false });
const row = (uuid: string, name: string, mount_path: string, host_path: string | null = null) => ({ uuid, name, mount_path, host_path });

test("storageOps: creates name volumes plainly (Coolify adds the prefix) and binds by mount path", () => {
  assert.deepEqual(storageOps(U, [], [vol("data", "/data"), bind("/srv/www", "/var/www/html")]), [
    { op: "create", body: { type: "persistent", name: "data", mount_path: "/data" } },
    { op: "create", body: { type: "persistent", name: "bind-var-www-html", mount_path: "/var/www/html", host_path: "/srv/www" } },
  ]);
  assert.deepEqual(storageOps(U, [row("s1", `${U}-data`, "/data"), row("s2", `${U}-b`, "/m", "/srv")], [vol("data", "/data"), bind("/srv", "/m")]), [], "nothing to do");
});

test("storageOps: a moved volume is PATCHed without its name; a bind's new host path too; a changed kind is replaced", () => {
  assert.deepEqual(storageOps(U, [row("s1", `${U}-data`, "/data")], [vol("data", "/srv/data")]), [
    { op: "patch", body: { type: "persistent", uuid: "s1", mount_path: "/srv/data" } },
  ]);
  assert.deepEqual(storageOps(U, [row("s2", `${U}-bind-m`, "/m", "/old")], [bind("/new", "/m")]), [
    { op: "patch", body: { type: "persistent", uuid: "s2", host_path: "/new" } },
  ]);
  assert.deepEqual(storageOps(U, [row("s1", `${U}-data`, "/data"), row("s3", `${U}-gone`, "/gone")], [bind("/srv/data", "/data")]), [
    { op: "delete", uuid: "s1" },
    { op: "delete", uuid: "s3" },
    { op: "create", body: { type: "persistent", name: "bind-data", mount_path: "/data", host_path: "/srv/data" } },
  ], "deletes first, so that names are free again");
});

test("storageOps: never sends a name in use (Coolify answers a duplicate with a 500)", () => {
  const ops = storageOps(U, [row("s1", `${U}-bind-data`, "/x")], [vol("bind-data", "/x"), bind("/srv", "/data")]);
  assert.deepEqual(ops, [{ op: "create", body: { type: "persistent", name: "bind-data-2", mount_path: "/data", host_path: "/srv" } }]);
  const clash = storageOps(U, [row("s2", `${U}-bind-data`, "/data", "/srv")], [bind("/srv", "/data"), vol("bind-data", "/v")]);
  assert.deepEqual(clash, [
    { op: "delete", uuid: "s2" },
    { op: "create", body: { type: "persistent", name: "bind-data-2", mount_path: "/data", host_path: "/srv" } },
    { op: "create", body: { type: "persistent", name: "bind-data", mount_path: "/v" } },
  ], "a bind holding the name a volume needs is replaced under another name");
});

test("what storages cannot hold is a capability issue: read-only, one name twice, one mount path twice, odd host paths", () => {
  const base: AppSpec = {
    source: { kind: "image", image: "nginx:1.27", registry: null }, command: null, env: {}, buildArgs: {}, ports: [80], replicas: 1, cpu: null, memoryBytes: null,
    volumes: [], healthcheck: null, state: "running",
  };
  const volumes = [{ ...vol("data", "/a"), readOnly: true }, vol("data", "/b"), vol("other", "/a"), bind("/srv/my files", "/c")];
  assert.deepEqual(coolifyUnsupported({ ...base, volumes }, "app").map((i) => i.field), ["app.volumes[0].readOnly", "app.volumes[1].name", "app.volumes[2].mountPath", "app.volumes[3].hostPath"]);
  assert.deepEqual(coolifyUnsupported({ ...base, volumes: [vol("data", "/a"), bind("/srv/www", "/b")] }, "app"), []);
});

test("the provider writes volumes and reads them back as declared; a moved volume is PATCHed, never renamed", async () => {
  const sim = await startCoolifySimulator({ deleteDelayMs: 0 });
  const provider = createCoolifyProvider({ url: sim.url, token: sim.token, server: "localhost", rateLimit: { requestsPerSecond: 1000 } });
  try {
    const spec: AppSpec = {
      source: { kind: "image", image: "nginx:1.27", registry: null }, command: null, env: {}, buildArgs: {}, ports: [80], replicas: 1, cpu: null, memoryBytes: null,
      volumes: [vol("data", "/data"), bind("/srv/www", "/var/www")], healthcheck: null, state: "running",
    };
    const project = await provider.createProject("shop", "[managed-by stackctl instance=ci stack=shop]");
    const env = { projectId: project.id, environmentId: project.defaultEnvironment!.id, environmentName: "production" };
    const { id } = await provider.createApplication(env, "web", "[managed-by stackctl instance=ci stack=shop]", spec);
    assert.equal(sim.requests.filter((r) => r.path.endsWith("/storages") && r.method === "GET").length, 0, "a new application's storages are not read first");
    const observe = async () => (await provider.observe({ instance: "ci", projectNames: new Set(["shop"]) })).projects[0]!.environments[0]!.applications[0]!.spec!;
    assert.deepEqual((await observe()).volumes, spec.volumes);
    assert.deepEqual(sim.store.storages.map((s) => s.name), [`${id}-data`, `${id}-bind-var-www`]);

    const moved: AppSpec = { ...spec, volumes: [vol("data", "/srv/data")] };
    const before = sim.requests.length;
    await provider.updateApplication(id, moved, ["volumes"]);
    assert.deepEqual(sim.requests.slice(before).map((r) => `${r.method} ${r.path.replace(id, "{uuid}")} ${r.status}`).sort(), [
      "DELETE /api/v1/applications/{uuid}/storages/" + sim.requests.slice(before).find((r) => r.method === "DELETE")!.path.split("/").at(-1) + " 200",
      "GET /api/v1/applications/{uuid}/storages 200",
      "PATCH /api/v1/applications/{uuid}/storages 200",
    ]);
    assert.deepEqual(sim.store.storages.map((s) => [s.name, s.mount_path]), [[`${id}-data`, "/srv/data"]], "the Docker volume keeps its name, and so its data");
    assert.deepEqual((await observe()).volumes, moved.volumes);
  } finally {
    await provider.close();
    await sim.close();
  }
});

const workspace = (mountPath: string, extra: unknown[] = []) => ({
  project: "ai-workspaces",
  environment: "alice",
  applications: [{
    name: "ide", image: "ghcr.io/coder/code-server:4.96.4", ports: [8080],
    volumes: [{ name: "alice-workspace", mountPath }, ...extra],
  }],
});

runScenarios("Coolify: volumes as storages", coolifyFixture(), [
  {
    name: "a per-user stack with a workspace volume applies; a volume change is deployed, and a second apply writes nothing",
    async run(t) {
      t.dir.put("ai-alice", workspace("/home/coder/project", [{ name: "alice-config", mountPath: "/home/coder/.config" }]));
      assertApplied(await t.apply());
      const sim = simOf(t.target);
      const ide = sim.store.applications.find((a) => a.name === "ide")!;
      assert.deepEqual(sim.store.runningMounts.get(ide.id), [`${ide.uuid}-alice-config:/home/coder/.config`, `${ide.uuid}-alice-workspace:/home/coder/project`], "the container mounts both volumes");
      assert.equal((await t.diff()).code, 0, "observed as declared: no drift");

      t.dir.put("ai-alice", workspace("/workspace"));
      const d = await t.diff();
      assert.equal(d.code, 1);
      assert.match(d.stdout, /update application stack\/ai-alice app\/ide[\s\S]*volumes[\s\S]*» deploy application stack\/ai-alice app\/ide/, "a volume change plans a deployment");
      const writes = t.target.writes();
      assertApplied(await t.apply());
      assert.deepEqual(sim.store.runningMounts.get(ide.id), [`${ide.uuid}-alice-workspace:/workspace`], "the next deployment mounts the change");
      assert.ok(sim.store.dockerVolumes.has(`${ide.uuid}-alice-config`), "a removed volume's data stays on the server");
      assert.equal(sim.requests.filter((r) => r.status >= 500).length, 0);
      assert.ok(t.target.writes() > writes);
      const settled = t.target.writes();
      assert.equal((await t.diff()).code, 0);
      assertApplied(await t.apply());
      assert.equal(t.target.writes(), settled, "a second apply writes nothing");
    },
  },
]);
