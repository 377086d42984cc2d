/**
 * The Coolify simulator's deployment lifecycle over real HTTP, held to the OpenAPI document's
 * ApplicationDeploymentQueue schema and to the behaviour in coolify-storages-deployments.md §3: queued →
 * in_progress → finished|failed, the "already queued" answer with an unsaved uuid, `{count, deployments}` newest
 * first, logs as a JSON string hidden without read:sensitive, and the application status after each outcome.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Ajv } from "ajv";
import spec from "../simulators/coolify/contract/coolify-openapi.json" with { type: "json" };
import { startCoolifySimulator } from "../simulators/coolify/server.ts";
import type { CoolifySimulator } from "../simulators/coolify/server.ts";

let sim: CoolifySimulator;
before(async () => {
  sim = await startCoolifySimulator({ seed: 3 });
  sim.store.deploys.knobs.durationMs = Infinity; // finished by hand
});
after(() => sim.close());

const doc = spec as unknown as { components: { schemas: Record<string, unknown> } };
const validateRow = new Ajv({ strict: false, allErrors: true }).compile(doc.components.schemas.ApplicationDeploymentQueue as object);

async function call(method: string, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sim.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${sim.token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function app(name: string) {
  const project = sim.store.addProject(`p-${name}`, null);
  const env = sim.store.environments.find((e) => e.project_id === project.id)!;
  return sim.store.insertApplication(env, { name, build_pack: "dockerimage", docker_registry_image_name: "nginx", health_check_enabled: true });
}

test("a deployment goes queued → in_progress → finished, and the application then runs healthy", async () => {
  const a = app("web");
  const queued = await call("POST", `/deploy?uuid=${a.uuid}`);
  assert.equal(queued.status, 200);
  const item = queued.body.deployments[0];
  assert.equal(item.message, "Application deployment queued.");
  const row = await call("GET", `/deployments/${item.deployment_uuid}`);
  assert.equal(row.status, 200);
  assert.ok(validateRow(structuredClone(row.body)), JSON.stringify(validateRow.errors));
  assert.equal(row.body.status, "in_progress");
  assert.equal(a.status, "exited:unhealthy", "the status is the container's: unchanged until the deployment finishes");
  sim.store.deploys.finishActive();
  const done = await call("GET", `/deployments/${item.deployment_uuid}`);
  assert.equal(done.body.status, "finished");
  assert.equal(typeof done.body.logs, "string");
  const entries = JSON.parse(done.body.logs) as { output: string; hidden: boolean }[];
  assert.ok(entries.some((e) => e.hidden), "hidden entries are part of the log");
  assert.ok(entries.some((e) => e.output === "Rolling update completed."));
  assert.equal(a.status, "running:healthy");
});

test("a second deploy while one is in progress is 'already queued' with a uuid that was never saved", async () => {
  const a = app("api");
  const first = (await call("POST", `/deploy?uuid=${a.uuid}`)).body.deployments[0];
  const second = (await call("POST", `/deploy?uuid=${a.uuid}`)).body.deployments[0];
  assert.equal(second.message, "Deployment already queued for this commit.");
  assert.notEqual(second.deployment_uuid, first.deployment_uuid);
  assert.deepEqual(await call("GET", `/deployments/${second.deployment_uuid}`), { status: 404, body: { message: "Deployment not found." } });
  const list = await call("GET", `/deployments/applications/${a.uuid}?skip=0&take=10`);
  assert.equal(list.body.count, 1);
  assert.equal(list.body.deployments[0].deployment_uuid, first.deployment_uuid);
  sim.store.deploys.finishActive();
});

test("build failures and crashes: failed rows keep the previous status; a crash after start leaves the app restarting", async () => {
  const broken = app("broken");
  const crashy = app("crashy");
  sim.store.deploys.knobs.outcomes = { broken: "fail-build", crashy: "crash-after-start" };
  sim.store.deploys.knobs.logLines = ["npm ERR! missing script: build"];
  const b = (await call("POST", `/deploy?uuid=${broken.uuid}`)).body.deployments[0].deployment_uuid;
  const c = (await call("POST", `/deploy?uuid=${crashy.uuid}`)).body.deployments[0].deployment_uuid;
  sim.store.deploys.finishActive();
  const failed = (await call("GET", `/deployments/${b}`)).body;
  assert.equal(failed.status, "failed");
  assert.match(failed.logs, /npm ERR! missing script: build/);
  assert.equal(broken.status, "exited:unhealthy");
  assert.equal((await call("GET", `/deployments/${c}`)).body.status, "finished");
  assert.equal(crashy.status, "restarting:unhealthy");
  sim.store.deploys.knobs.outcomes = {};
  sim.store.deploys.knobs.logLines = [];
});

test("builds beyond the server's concurrent_builds wait queued; logs are hidden without read:sensitive", async () => {
  const apps = [app("one"), app("two"), app("three")];
  const uuids = [];
  for (const a of apps) uuids.push((await call("POST", `/deploy?uuid=${a.uuid}`)).body.deployments[0].deployment_uuid);
  const statuses = await Promise.all(uuids.map(async (u) => (await call("GET", `/deployments/${u}`)).body.status));
  assert.deepEqual(statuses, ["in_progress", "in_progress", "queued"]);
  assert.deepEqual((await call("GET", "/deployments")).body.map((r: { status: string }) => r.status).sort(), ["in_progress", "in_progress", "queued"]);
  sim.store.settings.canReadSensitive = false;
  assert.equal("logs" in (await call("GET", `/deployments/${uuids[0]}`)).body, false);
  sim.store.settings.canReadSensitive = true;
  sim.store.deploys.finishActive();
  assert.equal((await call("GET", `/deployments/${uuids[2]}`)).body.status, "in_progress");
  sim.store.deploys.finishActive();
});
