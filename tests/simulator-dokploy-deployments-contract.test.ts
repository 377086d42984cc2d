/**
 * Contract test of the deployment lifecycle: replays the deployment exchanges recorded against a real Dokploy
 * v0.30.2 (a copy of shared/provider-apis/dokploy-recordings/v0.30.2-deployments.json, the exchanges the simulator
 * covers) in order against one simulator whose jobs finish only when the test says so, so the queue is seen in the
 * states the recording caught it in. Ids, clocks and other per-instance values are compared by type only.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";

interface Exchange {
  number: number;
  name: string;
  request: { method: string; path: string; query: Record<string, string> | null; headers: Record<string, string>; body: unknown };
  response: { status: number; contentType: string | null; body: unknown };
}

const exchanges = JSON.parse(readFileSync(new URL("../simulators/dokploy/contract/deployments-v0.30.2.json", import.meta.url), "utf8")) as Exchange[];

/** Per-instance values: ids, clocks, random names, job numbers and the links that embed ids. */
const VOLATILE = /(^id$|Id$|At$|^appName$|^refreshToken$|^logPath$|^timestamp$|^processedOn$|^href$)/;

/**
 * What the server's queue had done when each exchange was recorded (shared/provider-apis/dokploy-recordings/README.md):
 * `drain` every job finished; a number: that many rounds of the active job finishing.
 */
const BEFORE: Record<number, "drain" | number> = { 6: "drain", 14: 1, 15: "drain", 34: 2, 36: "drain", 86: "drain" };

const idMap = new Map<string, string>();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function learnIds(recorded: unknown, actual: unknown, key = ""): void {
  if (typeof recorded === "string" && typeof actual === "string" && VOLATILE.test(key) && recorded !== actual) idMap.set(recorded, actual);
  if (Array.isArray(recorded) && Array.isArray(actual)) recorded.forEach((r, i) => learnIds(r, actual[i], key));
  else if (isObject(recorded) && isObject(actual)) for (const k of Object.keys(recorded)) learnIds(recorded[k], actual[k], k);
}

function mapIds(value: unknown): unknown {
  if (typeof value === "string") return idMap.get(value) ?? value;
  if (Array.isArray(value)) return value.map(mapIds);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapIds(v)]));
  return value;
}

/** `application.one` → `deployments[]` has no ORDER BY (recording #16): both sides are compared oldest first. */
function ordered(body: unknown): unknown {
  if (!isObject(body) || !Array.isArray(body.deployments)) return body;
  const rows = body.deployments as { createdAt: string }[];
  return { ...body, deployments: rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.createdAt.localeCompare(b.r.createdAt) || a.i - b.i).map((x) => x.r) };
}

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function diff(recorded: unknown, actual: unknown, path: string, key: string, out: string[]): string[] {
  if (kind(recorded) !== kind(actual)) out.push(`${path}: ${kind(recorded)} expected, got ${kind(actual)}`);
  else if (Array.isArray(recorded) && Array.isArray(actual)) {
    if (recorded.length !== actual.length) out.push(`${path}: ${recorded.length} elements expected, got ${actual.length}`);
    else recorded.forEach((r, i) => diff(r, actual[i], `${path}[${i}]`, key, out));
  } else if (isObject(recorded) && isObject(actual)) {
    const missing = Object.keys(recorded).filter((k) => !(k in actual));
    const extra = Object.keys(actual).filter((k) => !(k in recorded));
    if (missing.length || extra.length) out.push(`${path}: missing keys [${missing}] extra keys [${extra}]`);
    for (const k of Object.keys(recorded)) if (k in actual) diff(recorded[k], actual[k], `${path}.${k}`, k, out);
  } else if (!VOLATILE.test(key) && recorded !== actual) out.push(`${path}: ${JSON.stringify(recorded)} expected, got ${JSON.stringify(actual)}`);
  return out;
}

async function send(sim: DokploySimulator, ex: Exchange): Promise<{ status: number; contentType: string | null; body: unknown }> {
  const url = new URL(sim.url + ex.request.path);
  for (const [k, v] of Object.entries(ex.request.query ?? {})) url.searchParams.set(k, String(mapIds(v)));
  const headers = Object.fromEntries(Object.entries(ex.request.headers).map(([k, v]) => [k, v.replace("<api-key>", sim.apiKey)]));
  const body = ex.request.body === null ? undefined : JSON.stringify(mapIds(ex.request.body));
  const res = await fetch(url, { method: ex.request.method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  const contentType = res.headers.get("content-type");
  return { status: res.status, contentType, body: contentType?.startsWith("application/json") && text !== "" ? JSON.parse(text) : text };
}

let sim: DokploySimulator;
before(async () => {
  sim = await startDokploySimulator({ seed: 11 });
  // The recording's server had a docker CLI but no daemon: every deployment ends in error.
  sim.store.settings.dockerAvailable = false;
  sim.store.settings.deployDurationMs = Infinity;
});
after(() => sim.close());

for (const ex of exchanges) {
  test(`#${ex.number} ${ex.name}`, async () => {
    const step = BEFORE[ex.number];
    if (step === "drain") while (sim.store.deploys.busy()) sim.store.deploys.finishActive();
    else for (let i = 0; i < (step ?? 0); i++) sim.store.deploys.finishActive();
    const actual = await send(sim, ex);
    assert.equal(actual.status, ex.response.status, JSON.stringify(actual.body));
    assert.equal(actual.contentType, ex.response.contentType);
    const recorded = ordered(ex.response.body);
    const got = ordered(actual.body);
    assert.deepEqual(diff(recorded, got, "body", "", []), []);
    learnIds(recorded, got);
  });
}

test("a service keeps its newest 11 deployment rows, and a waiting job has no row while the status keeps the last result", async () => {
  const app = sim.store.insertApplication({ name: "retention", environmentId: sim.store.insertProject({ name: "r" }).environment.environmentId });
  for (let i = 0; i < 13; i++) {
    sim.store.startDeployment(app, "t", `rev ${i}`);
    sim.store.deploys.finishActive();
  }
  assert.equal(sim.store.deploymentsOf(app.applicationId).length, 11);
  const other = sim.store.insertApplication({ name: "other", environmentId: app.environmentId });
  sim.store.startDeployment(other, "t", "blocking");
  sim.store.startDeployment(app, "t", "waiting");
  assert.equal(app.applicationStatus, "error", "one build at a time: the job waits, the status is the previous result");
  assert.equal(sim.store.deploymentsOf(app.applicationId).filter((d) => d.status === "running").length, 0);
  sim.store.deploys.finishActive();
  assert.equal(app.applicationStatus, "running");
  assert.equal(sim.store.deploymentsOf(app.applicationId).filter((d) => d.status === "running").length, 1);
  while (sim.store.deploys.busy()) sim.store.deploys.finishActive();
});
