/**
 * Contract test: replays every recorded exchange with a real Dokploy v0.30.2 (simulators/dokploy/contract/, see its README)
 * in order against one fresh simulator, and checks status, content type and body shape. Ids, timestamps, appName
 * suffixes and other per-instance values are compared by type only; every other value must be equal. Ids used in
 * later requests are translated from the recorded ids to the ones the simulator handed out.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";

interface Exchange {
  name: string;
  request: { method: string; path: string; query: Record<string, string> | null; headers: Record<string, string>; body: unknown };
  response: { status: number; contentType: string | null; body: unknown };
}

const RECORDINGS = new URL("../simulators/dokploy/contract/recordings-v0.30.2.json", import.meta.url);
const exchanges = JSON.parse(readFileSync(RECORDINGS, "utf8")) as Exchange[];

/** Keys whose values are per-instance (ids, clocks, random names, counters): compared by type only. */
const VOLATILE = /(^id$|Id$|At$|^appName$|^refreshToken$|^uniqueConfigKey$|^logPath$)/;

/** Recorded value → simulator value, for ids and appNames seen in responses. */
const idMap = new Map<string, string>();

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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/**
 * Messages may embed names the simulator chose differently (translated through the id map), and raw SQL carries
 * ids and timestamps after `params:` (ignored).
 */
function comparableMessage(m: string): string {
  let out = m.replace(/\nparams: .*$/s, "");
  for (const [recorded, actual] of idMap) out = out.replaceAll(recorded, actual);
  return out;
}

/** Differences between the recorded and the actual body (empty when they match). */
function diff(recorded: unknown, actual: unknown, path: string, key: string, values: boolean, out: string[]): string[] {
  if (kind(recorded) !== kind(actual)) out.push(`${path}: ${kind(recorded)} expected, got ${kind(actual)}`);
  else if (Array.isArray(recorded) && Array.isArray(actual)) {
    if (recorded.length !== actual.length) out.push(`${path}: ${recorded.length} elements expected, got ${actual.length}`);
    else recorded.forEach((r, i) => diff(r, actual[i], `${path}[${i}]`, key, values, out));
  } else if (isObject(recorded) && isObject(actual)) {
    const missing = Object.keys(recorded).filter((k) => !(k in actual));
    const extra = Object.keys(actual).filter((k) => !(k in recorded));
    if (missing.length || extra.length) out.push(`${path}: missing keys [${missing}] extra keys [${extra}]`);
    for (const k of Object.keys(recorded)) if (k in actual) diff(recorded[k], actual[k], `${path}.${k}`, k, values, out);
  } else if (values && !VOLATILE.test(key) && recorded !== actual) {
    const same = key === "message" && typeof recorded === "string" && comparableMessage(recorded) === comparableMessage(String(actual));
    if (!same) out.push(`${path}: ${JSON.stringify(recorded)} expected, got ${JSON.stringify(actual)}`);
  }
  return out;
}

async function send(sim: DokploySimulator, ex: Exchange): Promise<{ status: number; contentType: string | null; body: unknown }> {
  const url = new URL(sim.url + ex.request.path);
  for (const [k, v] of Object.entries(ex.request.query ?? {})) url.searchParams.set(k, String(mapIds(v)));
  const headers = Object.fromEntries(Object.entries(ex.request.headers).map(([k, v]) => [k, v.replace("<api-key>", sim.apiKey)]));
  const raw = ex.request.body;
  const text = raw === null ? undefined : typeof raw === "string" ? raw : JSON.stringify(mapIds(raw));
  // A Buffer body keeps fetch from adding a content type of its own (exchange #91 sends none).
  const res = await fetch(url, { method: ex.request.method, headers, ...(text === undefined ? {} : { body: Buffer.from(text) }) });
  const body = await res.text();
  const contentType = res.headers.get("content-type");
  return { status: res.status, contentType, body: contentType?.startsWith("application/json") && body !== "" ? JSON.parse(body) : body };
}

/** Recreates the benchmark organisation of exchange #127: 20 projects x 3 apps (image, env, one domain). */
async function seedBenchmark(sim: DokploySimulator): Promise<void> {
  const call = async (proc: string, body: unknown) => {
    const res = await fetch(`${sim.url}/api/${proc}`, { method: "POST", headers: { "x-api-key": sim.apiKey, "content-type": "application/json" }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, proc);
    return (await res.json()) as Record<string, any>;
  };
  for (let p = 1; p <= 20; p++) {
    const { environment } = await call("project.create", { name: `bench-${p}`, description: `managed-by: gitops-reconciler; bench ${p}` });
    for (let a = 1; a <= 3; a++) {
      const app = await call("application.create", { name: `svc-${a}`, environmentId: environment.environmentId, appName: `b${p}-svc-${a}` });
      const applicationId = app["applicationId"];
      await call("application.saveDockerProvider", { applicationId, dockerImage: "nginx:alpine", username: null, password: null, registryUrl: null });
      await call("application.saveEnvironment", { applicationId, env: "A=1", buildArgs: null, buildSecrets: null, createEnvFile: true });
      await call("domain.create", { host: `b${p}-svc-${a}.example.test`, applicationId, domainType: "application" });
    }
  }
}

let sim: DokploySimulator;
before(async () => {
  sim = await startDokploySimulator({ seed: 42 });
  // The recordings come from a server without Docker: deploys end in error, start fails.
  sim.store.settings.dockerAvailable = false;
  sim.store.settings.deployDurationMs = 10;
});
after(() => sim.close());

test("the recordings cover 127 exchanges", () => assert.equal(exchanges.length, 127));

exchanges.forEach((ex, i) => {
  test(`#${i + 1} ${ex.name}`, async () => {
    const bench = ex.name.startsWith("bench:");
    if (bench) await seedBenchmark(sim);
    await sim.store.settled(); // the recorded reads after a deploy were taken seconds later
    const actual = await send(sim, ex);
    assert.equal(actual.status, ex.response.status, `status; body ${JSON.stringify(actual.body).slice(0, 500)}`);
    assert.equal(actual.contentType, ex.response.contentType, "content type");
    const problems = diff(ex.response.body, actual.body, "body", "", !bench, []);
    assert.deepEqual(problems, [], problems.join("\n"));
    learnIds(ex.response.body, actual.body);
  });
});
