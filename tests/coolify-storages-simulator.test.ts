/**
 * The Coolify simulator's application storages behave as Coolify v4.3's do, traps included: bodies checked against
 * the OpenAPI document, the `{uuid}-` prefix on create but not on PATCH, duplicates answered 500, the Docker volume
 * left behind by a delete, and changes that reach the container only at the next deployment.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { CoolifySimulator } from "../simulators/coolify/server.ts";
import { startCoolifySimulator } from "../simulators/coolify/server.ts";
import type { ApplicationRow } from "../simulators/coolify/store.ts";

let sim: CoolifySimulator;
let app: ApplicationRow;

before(async () => {
  sim = await startCoolifySimulator({ deleteDelayMs: 0 });
  const project = sim.store.addProject("shop", null);
  app = sim.store.insertApplication(sim.store.environments.find((e) => e.project_id === project.id)!, { name: "web", build_pack: "dockerimage" });
});
after(() => sim.close());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sim.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.token}`, accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

const storages = (uuid = app.uuid) => call("GET", `/applications/${uuid}/storages`);

test("a persistent storage is created with the application's uuid before its name, and listed", async () => {
  const created = await call("POST", `/applications/${app.uuid}/storages`, { type: "persistent", name: "data", mount_path: "/data" });
  assert.equal(created.status, 201);
  assert.equal(created.body.name, `${app.uuid}-data`);
  const bind = await call("POST", `/applications/${app.uuid}/storages`, { type: "persistent", name: "logs", mount_path: "var/log ", host_path: "/srv/logs" });
  assert.equal(bind.status, 201);
  assert.equal(bind.body.mount_path, "/var/log", "the setter trims and prepends /");
  const listed = await storages();
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.persistent_storages.map((s: any) => [s.name, s.mount_path, s.host_path]), [[`${app.uuid}-data`, "/data", null], [`${app.uuid}-logs`, "/var/log", "/srv/logs"]]);
  assert.deepEqual(listed.body.file_storages, []);
  assert.deepEqual(await storages("nope"), { status: 404, body: { message: "Application not found" } });
});

test("the document's rules and the code's: unknown fields, a missing name, file-only fields, bad formats", async () => {
  const post = (body: unknown) => call("POST", `/applications/${app.uuid}/storages`, body);
  assert.deepEqual((await post({ type: "persistent", name: "x", mount_path: "/x", read_only: true })).body.errors, { read_only: ["This field is not allowed."] });
  assert.deepEqual((await post({ name: "x", mount_path: "/x" })).body.errors, { type: ["The type field is required."] });
  assert.deepEqual((await post({ type: "volume", name: "x", mount_path: "/x" })).body.errors, { type: ["The selected type is invalid."] });
  assert.deepEqual(await post({ type: "persistent", mount_path: "/x" }), { status: 422, body: { message: "Validation failed.", errors: { name: "The name field is required for persistent storages." } } });
  assert.deepEqual((await post({ type: "persistent", name: "x", mount_path: "/x", content: "hi" })).body.errors, { content: ["Field 'content' is not valid for type 'persistent'."] });
  assert.equal((await post({ type: "persistent", name: "-x", mount_path: "/x" })).status, 422);
  assert.equal((await post({ type: "persistent", name: "x", mount_path: "/x", host_path: "/a b" })).status, 422);
});

test("a duplicate name is a 500 (a database error, not a 409); the same mount path twice is accepted", async () => {
  const dup = await call("POST", `/applications/${app.uuid}/storages`, { type: "persistent", name: "data", mount_path: "/elsewhere" });
  assert.equal(dup.status, 500);
  assert.match(dup.body.message, /Unique violation/);
  assert.equal((await call("POST", `/applications/${app.uuid}/storages`, { type: "persistent", name: "data2", mount_path: "/data" })).status, 201);
});

test("PATCH needs type and uuid, and stores name as sent, without the prefix", async () => {
  const row = (await storages()).body.persistent_storages.find((s: any) => s.name === `${app.uuid}-data2`);
  assert.deepEqual((await call("PATCH", `/applications/${app.uuid}/storages`, { type: "persistent", name: "y" })).body.errors, { uuid: "Either uuid or id is required." });
  assert.equal((await call("PATCH", `/applications/${app.uuid}/storages`, { type: "file", uuid: row.uuid, mount_path: "/z" })).status, 404, "looked up among storages of that type");
  const patched = await call("PATCH", `/applications/${app.uuid}/storages`, { type: "persistent", uuid: row.uuid, name: "data2", mount_path: "/moved" });
  assert.equal(patched.status, 200);
  assert.deepEqual([patched.body.name, patched.body.mount_path], ["data2", "/moved"], "the trap: a new, host-global volume named data2");
});

/** Resolves once the queued deployments finished (they run in the background, as on Coolify). */
async function deployed(): Promise<void> {
  while (sim.store.deploys.busy()) await new Promise((r) => setTimeout(r, 5));
}

test("changes reach the container at the next deployment; a deleted storage leaves its Docker volume", async () => {
  const fresh = sim.store.insertApplication(sim.store.environments[0]!, { name: "ide", build_pack: "dockerimage" });
  const created = await call("POST", `/applications/${fresh.uuid}/storages`, { type: "persistent", name: "ws", mount_path: "/ws" });
  assert.equal(sim.store.runningMounts.get(fresh.id), undefined, "not deployed yet: nothing mounted");
  assert.equal((await call("POST", `/deploy?uuid=${fresh.uuid}`)).status, 200);
  await deployed();
  assert.deepEqual(sim.store.runningMounts.get(fresh.id), [`${fresh.uuid}-ws:/ws`]);
  assert.ok(sim.store.dockerVolumes.has(`${fresh.uuid}-ws`));
  assert.deepEqual(await call("DELETE", `/applications/${fresh.uuid}/storages/${created.body.uuid}`), { status: 200, body: { message: "Storage deleted." } });
  assert.deepEqual(await call("DELETE", `/applications/${fresh.uuid}/storages/${created.body.uuid}`), { status: 404, body: { message: "Storage not found." } });
  assert.deepEqual(sim.store.runningMounts.get(fresh.id), [`${fresh.uuid}-ws:/ws`], "still mounted until the next deployment");
  assert.ok(sim.store.dockerVolumes.has(`${fresh.uuid}-ws`), "the Docker volume stays on the server");
  await call("POST", `/applications/${fresh.uuid}/storages`, { type: "persistent", name: "cache", mount_path: "/cache" });
  await call("POST", `/deploy?uuid=${fresh.uuid}`);
  await deployed();
  assert.deepEqual(sim.store.runningMounts.get(fresh.id), [`${fresh.uuid}-cache:/cache`]);
  await call("DELETE", `/applications/${fresh.uuid}`);
  assert.equal(sim.store.dockerVolumes.has(`${fresh.uuid}-cache`), false, "deleting the application (delete_volumes) removes its storages' volumes");
  assert.ok(sim.store.dockerVolumes.has(`${fresh.uuid}-ws`), "but not one whose storage was deleted before");
});
