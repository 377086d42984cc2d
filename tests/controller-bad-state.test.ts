/**
 * `stackctl run` as a real process started over bad saved state: a status record that is corrupted, truncated,
 * empty, of an unknown version or of the wrong shape, and an earlier version's `state.json` that is truncated. The
 * controller must not exit: it moves each bad record aside, logs it, becomes ready, and reconciles those stacks from
 * the servers' markers — without creating anything twice.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { ControllerProcess, GitOrigin } from "./helpers/controller.ts";
import { gitOrigin, scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";

type Stacks = { items: { name: string; conditions: { type: string; status: string }[]; lastAppliedRevision: string | null }[] };

const BAD_RECORDS: Record<string, (good: string) => string> = {
  corrupted: (good) => good.replace(/[{}]/g, "#"),
  truncated: (good) => good.slice(0, Math.floor(good.length / 2)),
  empty: () => "",
  "unknown-version": (good) => good.replace('"version":1', '"version":2'),
  "wrong-shape": (good) => good.replace(/"conditions":\[[^\]]*\]/, '"conditions":"ready"'),
};
const NAMES = ["fine", ...Object.keys(BAD_RECORDS)];

let sim: DokploySimulator;
let origin: GitOrigin;
let scratch: ReturnType<typeof scratchDir>;
let controller: ControllerProcess | null = null;

before(async () => {
  sim = await startDokploySimulator({ seed: 9 });
  origin = gitOrigin();
  scratch = scratchDir();
});
after(async () => {
  if (controller && controller.child.exitCode === null) await controller.stop();
  await sim.close();
  origin.cleanup();
  scratch.cleanup();
});

const data = () => join(scratch.dir, "data");
const statusDir = () => join(data(), "status");

function run(): Promise<ControllerProcess> {
  const args = ["--git", origin.bare, "--branch", "main", "--path", "stacks", "--data-dir", data(), "--interval", "1h"];
  return startController(args, { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey }, scratch.dir).then((c) => (controller = c));
}

async function allReady(c: ControllerProcess): Promise<Stacks> {
  return waitUntil("every stack ready", async () => {
    if ((await c.get("/readyz")).status !== 200) return null;
    const s = await c.json<Stacks>("/api/v1/stacks");
    const ready = NAMES.every((n) => s.items.find((i) => i.name === n)?.conditions.some((x) => x.type === "Ready" && x.status === "True"));
    return ready ? s : null;
  }, 20_000);
}

describe("stackctl run over bad saved state", () => {
  it("moves every kind of bad status record aside, logs it, and converges from the servers' markers", async () => {
    const files = Object.fromEntries(NAMES.map((n) => [`stacks/${n}.yaml`, stackYaml(n, { project: `p-${n}`, applications: [{ name: "web", image: "nginx:1.27", ports: [80] }] })]));
    const sha = origin.commit(files);
    const first = await run();
    await allReady(first);
    assert.equal(await first.stop(), 0);
    const good = readFileSync(join(statusDir(), "fine.json"), "utf8");
    for (const [name, spoil] of Object.entries(BAD_RECORDS)) writeFileSync(join(statusDir(), `${name}.json`), spoil(readFileSync(join(statusDir(), `${name}.json`), "utf8")));
    writeFileSync(join(data(), "state.json"), '{"version":1,"stacks":[{"name":"fine","tar'); // an earlier version's file, cut short
    const applicationsBefore = sim.store.applications.length;

    const second = await run();
    const status = await allReady(second);
    assert.equal(second.child.exitCode, null, "the controller keeps running");
    assert.equal(status.items.find((i) => i.name === "fine")?.lastAppliedRevision, sha, "a good record is still read back");
    const moved = second.logs.filter((l) => String(l.msg).startsWith("unusable status record moved aside"));
    const movedFiles = moved.map((l) => String(l.file)).sort();
    assert.deepEqual(movedFiles, [join(data(), "state.json"), ...Object.keys(BAD_RECORDS).map((n) => join(statusDir(), `${n}.json`))].sort());
    assert.ok(moved.every((l) => l.level === 50 && typeof l.problem === "string"), "logged as errors, with the problem");
    const left = readdirSync(statusDir());
    for (const name of Object.keys(BAD_RECORDS)) {
      assert.ok(left.some((f) => f.startsWith(`${name}.json.corrupt-`)), `${name}: kept aside for inspection (${left.join(" ")})`);
      assert.ok(left.includes(`${name}.json`), `${name}: a fresh record is written`);
    }
    assert.ok(readdirSync(data()).some((f) => f.startsWith("state.json.corrupt-")));
    assert.equal(sim.store.applications.length, applicationsBefore, "nothing is created twice: the markers were the truth");
    assert.equal(sim.store.projects.filter((p) => p.name.startsWith("p-")).length, NAMES.length);
  });
});
