/**
 * Coolify simulator behaviours over real HTTP: auth, the API-disabled 403, JSON and OpenAPI validation (422
 * shapes), 409 domain conflicts, asynchronous deletion, the real rate limit with Retry-After, env flag resets.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startCoolifySimulator } from "../simulators/coolify/server.ts";
import type { CoolifySimulator } from "../simulators/coolify/server.ts";

let sim: CoolifySimulator;
before(async () => { sim = await startCoolifySimulator({ seed: 1, deleteDelayMs: 100 }); });
after(() => sim.close());

async function call(method: string, path: string, body?: unknown, token = sim.token): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${sim.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function projectWithEnv(name: string) {
  const { body } = await call("POST", "/projects", { name });
  const server = (await call("GET", "/servers")).body[0].uuid as string;
  return { project: body.uuid as string, server };
}

test("auth: a wrong token is 401 Unauthenticated; a disabled API is 403 with success true", async () => {
  assert.deepEqual((await call("GET", "/projects", undefined, "1|nope")).body, { message: "Unauthenticated." });
  sim.store.settings.apiEnabled = false;
  const r = await call("GET", "/projects");
  sim.store.settings.apiEnabled = true;
  assert.equal(r.status, 403);
  assert.deepEqual(r.body, { success: true, message: "API is disabled." });
  assert.equal(await (await fetch(`${sim.url}/api/v1/health`)).text(), "OK");
});

test("422 shapes: short names, unknown keys, wrong types, invalid domains as a list", async () => {
  const short = await call("POST", "/projects", { name: "qa" });
  assert.equal(short.status, 422);
  assert.equal(short.body.message, "Validation failed.");
  assert.ok(Array.isArray(short.body.errors.name));
  const colon = await call("POST", "/projects", { name: "demo", description: "owner: me" });
  assert.ok(colon.body.errors.description);
  const unknown = await call("POST", "/projects", { name: "demo", color: "red" });
  assert.deepEqual(unknown.body.errors.color, ["This field is not allowed."]);
  const { project, server } = await projectWithEnv("shapes");
  const typed = await call("POST", "/applications/dockerimage", { project_uuid: project, server_uuid: server, environment_name: "production", docker_registry_image_name: 5 });
  assert.equal(typed.status, 422);
  assert.ok(typed.body.errors.docker_registry_image_name);
  const env = await call("POST", "/applications/dockerimage", { project_uuid: project, server_uuid: server, docker_registry_image_name: "nginx" });
  assert.deepEqual(env.body, { message: "You need to provide at least one of environment_name or environment_uuid." });
  const bad = await call("POST", "/applications/dockerimage", { project_uuid: project, server_uuid: server, environment_name: "production", docker_registry_image_name: "nginx", domains: "ftp://x" });
  assert.deepEqual(bad.body, { message: "Validation failed.", errors: ["Invalid URL: ftp://x"] });
  const empty = await call("PATCH", `/projects/${project}`, {});
  assert.deepEqual([empty.status, empty.body.error], [400, "Empty JSON."]);
});

test("409 domain conflict unless forced; async delete keeps the environment busy", async () => {
  const { project, server } = await projectWithEnv("domains");
  const base = { project_uuid: project, server_uuid: server, environment_name: "production", docker_registry_image_name: "nginx", domains: "https://a.example.com:80" };
  const first = await call("POST", "/applications/dockerimage", base);
  assert.equal(first.status, 201);
  const clash = await call("POST", "/applications/dockerimage", base);
  assert.equal(clash.status, 409);
  assert.equal(clash.body.conflicts[0].resource_uuid, first.body.uuid);
  assert.equal((await call("POST", "/applications/dockerimage", { ...base, force_domain_override: true })).status, 201);
  for (const app of sim.store.applications.filter((a) => a.fqdn?.includes("a.example.com"))) await call("DELETE", `/applications/${app.uuid}`);
  assert.equal((await call("GET", `/applications/${first.body.uuid}`)).status, 200, "still visible while the job runs");
  assert.equal((await call("DELETE", `/projects/${project}`)).status, 400);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal((await call("GET", `/applications/${first.body.uuid}`)).status, 404);
  assert.equal((await call("DELETE", `/projects/${project}`)).status, 200);
});

test("env PATCH resets omitted flags; creating a variable adds a preview copy", async () => {
  const { project, server } = await projectWithEnv("envflags");
  const app = (await call("POST", "/applications/dockerimage", { project_uuid: project, server_uuid: server, environment_name: "production", docker_registry_image_name: "nginx", autogenerate_domain: false })).body.uuid;
  assert.equal((await call("POST", `/applications/${app}/envs`, { key: "A", value: "1", is_literal: true, is_runtime: true, comment: "c" })).status, 201);
  const rows = (await call("GET", `/applications/${app}/envs`)).body;
  assert.deepEqual(rows.map((r: any) => [r.key, r.is_preview]), [["A", false], ["A", true]]);
  await call("PATCH", `/applications/${app}/envs`, { key: "A", value: "2" });
  const a = (await call("GET", `/applications/${app}/envs`)).body[0];
  assert.deepEqual([a.value, a.is_literal], ["2", false]);
});

test("rate limit: a real 429 with Retry-After once the window's budget is spent", async () => {
  const small = await startCoolifySimulator({ rateLimitPerMinute: 3, rateLimitWindowMs: 2000 });
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${small.url}/api/v1/projects`, { headers: { authorization: `Bearer ${small.token}` } });
      statuses.push(res.status);
      retryAfter ??= res.headers.get("retry-after");
      await res.text();
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.equal(retryAfter, "2");
  } finally {
    await small.close();
  }
});
