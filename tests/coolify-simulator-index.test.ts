/**
 * The Coolify simulator's indexes (simulators/coolify/tables.ts) over real HTTP: lookups by uuid, by parent and by
 * domain answer what a scan of the arrays would, after API writes and after the edits tests make by hand (an array
 * replaced, a row pushed, spliced or removed directly, a row moved to another environment); the domain index follows
 * a PATCH that changes domains, and deletes through the API free uuids, domains and names at once. Also: the environment details carry the database lists Coolify loads there.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startCoolifySimulator } from "../simulators/coolify/server.ts";
import type { CoolifySimulator } from "../simulators/coolify/server.ts";

let sim: CoolifySimulator;
before(async () => { sim = await startCoolifySimulator({ seed: 3, deleteDelayMs: 0 }); });
after(() => sim.close());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sim.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${sim.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function app(project: string, name: string, domains?: string): Promise<string> {
  const server = (await call("GET", "/servers")).body[0].uuid as string;
  const r = await call("POST", "/applications/dockerimage", { project_uuid: project, server_uuid: server, environment_name: "production", name, docker_registry_image_name: "nginx", ...(domains ? { domains } : { autogenerate_domain: false }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.uuid as string;
}

const names = (env: { applications: { name: string }[] }) => env.applications.map((a) => a.name).sort();

test("environment details follow applications added, moved and removed by hand", async () => {
  const a = (await call("POST", "/projects", { name: "index-a" })).body.uuid as string;
  const b = (await call("POST", "/projects", { name: "index-b" })).body.uuid as string;
  await app(a, "one");
  await app(a, "two");
  assert.deepEqual(names((await call("GET", `/projects/${a}/production`)).body), ["one", "two"]);
  const envOf = (uuid: string) => sim.store.environmentsOf(sim.store.project(uuid)!)[0]!;
  // Pushed onto the array directly (not through the store): found at the next lookup.
  sim.store.applications.push({ ...sim.store.applications[0]!, id: sim.store.nextId(), uuid: "hand-pushed-app-000000000", name: "three" });
  assert.deepEqual(names((await call("GET", `/projects/${a}/production`)).body), ["one", "three", "two"]);
  assert.equal((await call("GET", "/applications/hand-pushed-app-000000000")).body.name, "three");
  // Moved to another environment in place: gone from the old one at once, in the new one after a rebuild.
  sim.store.applications.find((x) => x.name === "two")!.environment_id = envOf(b).id;
  assert.deepEqual(names((await call("GET", `/projects/${a}/production`)).body), ["one", "three"]);
  sim.store.applications = [...sim.store.applications];
  assert.deepEqual(names((await call("GET", `/projects/${b}/production`)).body), ["two"]);
  // Removed by replacing the array: no longer found by uuid.
  sim.store.applications = sim.store.applications.filter((x) => x.name !== "three");
  assert.equal((await call("GET", "/applications/hand-pushed-app-000000000")).status, 404);
  assert.deepEqual(names((await call("GET", `/projects/${a}/production`)).body), ["one"]);
});

test("env vars and storages by application, after API writes and hand edits", async () => {
  const p = (await call("POST", "/projects", { name: "index-c" })).body.uuid as string;
  const web = await app(p, "web");
  const api = await app(p, "api");
  assert.equal((await call("POST", `/applications/${web}/envs`, { key: "A", value: "1" })).status, 201);
  assert.equal((await call("POST", `/applications/${api}/envs`, { key: "B", value: "2" })).status, 201);
  const keys = async (uuid: string) => (await call("GET", `/applications/${uuid}/envs`)).body.map((e: { key: string; is_preview: boolean }) => `${e.key}${e.is_preview ? "'" : ""}`);
  assert.deepEqual(await keys(web), ["A", "A'"]);
  assert.deepEqual(await keys(api), ["B", "B'"]);
  // A value edited by hand is what the API returns; a variable deleted by hand is gone.
  sim.store.envs.find((e) => e.key === "A" && !e.is_preview)!.value = "drifted";
  assert.equal((await call("GET", `/applications/${web}/envs`)).body[0].value, "drifted");
  sim.store.envs = sim.store.envs.filter((e) => e.key !== "B");
  assert.deepEqual(await keys(api), []);
  assert.equal((await call("POST", `/applications/${api}/envs`, { key: "B", value: "3" })).status, 201, "no stale 409 for a variable deleted by hand");
  const made = await call("POST", `/applications/${web}/storages`, { type: "persistent", name: "data", mount_path: "/data" });
  assert.equal(made.status, 201);
  assert.equal((await call("POST", `/applications/${web}/storages`, { type: "persistent", name: "data", mount_path: "/other" })).status, 500, "the unique index sees the storage just made");
  assert.deepEqual((await call("GET", `/applications/${api}/storages`)).body.persistent_storages, []);
  assert.equal((await call("DELETE", `/applications/${web}/storages/${made.body.uuid}`)).status, 200);
  assert.deepEqual((await call("GET", `/applications/${web}/storages`)).body.persistent_storages, []);
});

test("domain conflicts follow PATCHes: a domain moved away is free, the new one is taken", async () => {
  const p = (await call("POST", "/projects", { name: "index-d" })).body.uuid as string;
  const first = await app(p, "first", "https://old.example.com");
  const server = (await call("GET", "/servers")).body[0].uuid as string;
  const create = (domains: string) => call("POST", "/applications/dockerimage", { project_uuid: p, server_uuid: server, environment_name: "production", docker_registry_image_name: "nginx", domains });
  assert.equal((await create("https://old.example.com/")).status, 409);
  assert.equal((await call("PATCH", `/applications/${first}`, { domains: "https://new.example.com" })).status, 200);
  const taken = await create("https://new.example.com");
  assert.equal(taken.status, 409);
  assert.deepEqual(taken.body.conflicts.map((c: { resource_uuid: string }) => c.resource_uuid), [first]);
  assert.equal((await create("https://old.example.com")).status, 201, "the old domain is free again");
  // A domain set by hand is seen once the table is re-indexed (the documented contract of hand edits).
  sim.store.applications.find((a) => a.uuid === first)!.fqdn = "https://hand.example.com";
  sim.store.applications = [...sim.store.applications];
  assert.equal((await create("https://hand.example.com")).status, 409);
});

test("environment details list services and the databases Coolify loads there (not keydb, dragonfly, clickhouse)", async () => {
  const p = (await call("POST", "/projects", { name: "index-e" })).body.uuid as string;
  const env = sim.store.environmentsOf(sim.store.project(p)!)[0]!;
  sim.store.insertService(env, "plausible");
  for (const engine of ["postgresql", "redis", "mongodb", "mysql", "mariadb", "keydb", "dragonfly", "clickhouse"]) sim.store.insertDatabase(env, `db-${engine}`, engine);
  const details = (await call("GET", `/projects/${p}/production`)).body;
  assert.deepEqual(details.services.map((s: { name: string }) => s.name), ["plausible"]);
  const lists = Object.fromEntries(["postgresqls", "redis", "mongodbs", "mysqls", "mariadbs"].map((k) => [k, details[k].map((d: { name: string }) => d.name)]));
  assert.deepEqual(lists, { postgresqls: ["db-postgresql"], redis: ["db-redis"], mongodbs: ["db-mongodb"], mysqls: ["db-mysql"], mariadbs: ["db-mariadb"] });
  assert.equal((await call("GET", "/databases")).body.length, 8, "GET /databases lists every engine");
  assert.equal((await call("DELETE", `/projects/${p}/environments/production`)).status, 400, "its databases keep the environment");
});

test("deletes through the API free the uuid, the domain and the environment at once; a splice by hand is followed too", async () => {
  const p = (await call("POST", "/projects", { name: "index-f" })).body.uuid as string;
  const gone = await app(p, "gone", "https://gone.example.com");
  const kept = await app(p, "kept");
  assert.equal((await call("POST", `/applications/${gone}/envs`, { key: "K", value: "v" })).status, 201);
  assert.equal((await call("DELETE", `/applications/${gone}`)).status, 200); // deleteDelayMs 0: done at once
  assert.equal((await call("GET", `/applications/${gone}`)).status, 404);
  assert.equal(sim.store.envs.some((e) => e.key === "K"), false, "its env vars went with it");
  assert.deepEqual(names((await call("GET", `/projects/${p}/production`)).body), ["kept"]);
  assert.equal((await app(p, "again", "https://gone.example.com")).length, 24, "its domain is free");
  // A row spliced out by hand: the index notices the shorter table.
  sim.store.applications.splice(sim.store.applications.findIndex((a) => a.uuid === kept), 1);
  assert.equal((await call("GET", `/applications/${kept}`)).status, 404);
  assert.deepEqual(names((await call("GET", `/projects/${p}/production`)).body), ["again"]);
  const env = (await call("POST", `/projects/${p}/environments`, { name: "staging" })).body.uuid as string;
  assert.equal((await call("DELETE", `/projects/${p}/environments/${env}`)).status, 200);
  assert.equal((await call("GET", `/projects/${p}/${env}`)).status, 404);
  assert.equal((await call("POST", `/projects/${p}/environments`, { name: "staging" })).status, 201, "the name is free again");
});
