import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  conditionSummary,
  getCondition,
  markFailed,
  markReady,
  markReconciling,
  markStalled,
  Reasons,
  setCondition,
} from "../controller/loop/conditions.ts";
import { openStatusStore, StatusStoreError } from "../controller/loop/status.ts";

const t0 = new Date("2025-01-01T00:00:00Z");
const t1 = new Date("2025-01-01T00:01:00Z");
const t2 = new Date("2025-01-01T00:02:00Z");

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "stackctl-status-"));
  dirs.push(d);
  return d;
}

describe("conditions", () => {
  it("lastTransitionTime moves only when status, reason or message change", () => {
    let c = setCondition([], { type: "Ready", status: "True", reason: "Succeeded", message: "applied abc" }, t0);
    c = setCondition(c, { type: "Ready", status: "True", reason: "Succeeded", message: "applied abc" }, t1);
    assert.equal(getCondition(c, "Ready")?.lastTransitionTime, t0.toISOString());
    c = setCondition(c, { type: "Ready", status: "True", reason: "Succeeded", message: "applied def" }, t2);
    assert.equal(getCondition(c, "Ready")?.lastTransitionTime, t2.toISOString());
  });

  it("Reconciling and Stalled are present only while True", () => {
    const cases: { name: string; run: () => ReturnType<typeof markReady>; types: string[]; summary: string }[] = [
      { name: "reconciling", run: () => markReconciling([], "fetching", t0), types: ["Ready", "Reconciling"], summary: "Reconciling" },
      { name: "ready after reconciling", run: () => markReady(markReconciling([], "x", t0), "applied", t1), types: ["Ready"], summary: "Ready" },
      { name: "failed after reconciling", run: () => markFailed(markReconciling([], "x", t0), Reasons.TargetUnavailable, "503", t1), types: ["Ready"], summary: "Failed" },
      { name: "stalled", run: () => markStalled(markReconciling([], "x", t0), Reasons.InvalidManifest, "bad", t1), types: ["Ready", "Stalled"], summary: "Stalled" },
      { name: "reconciling clears stalled", run: () => markReconciling(markStalled([], "InvalidManifest", "bad", t0), "retry", t1), types: ["Ready", "Reconciling"], summary: "Reconciling" },
      { name: "nothing yet", run: () => [], types: [], summary: "Unknown" },
    ];
    for (const tc of cases) {
      const c = tc.run();
      assert.deepEqual(c.map((x) => x.type), tc.types, tc.name);
      assert.ok(c.every((x) => x.type === "Ready" || x.status === "True"), tc.name);
      assert.equal(conditionSummary(c), tc.summary, tc.name);
    }
  });

  it("markStalled sets Ready=False with the same reason; inputs are not mutated", () => {
    const before = markReady([], "ok", t0);
    const frozen = structuredClone(before);
    const c = markStalled(before, Reasons.AuthenticationFailed, "token refused", t1);
    assert.deepEqual(before, frozen);
    assert.deepEqual(getCondition(c, "Ready"), {
      type: "Ready",
      status: "False",
      reason: "AuthenticationFailed",
      message: "token refused",
      lastTransitionTime: t1.toISOString(),
    });
  });
});

/** The record file of `name` in `dir`. */
const rec = (dir: string, name: string) => join(dir, `${name}.json`);
const readRecord = async (dir: string, name: string) => (JSON.parse(await readFile(rec(dir, name), "utf8")) as { version: number; status: Record<string, unknown> }).status;

describe("status store", () => {
  it("persists atomically and reloads after a restart", async () => {
    const dir = join(await tempDir(), "state", "status");
    const store = await openStatusStore({ dir });
    assert.deepEqual(store.list(), []);
    await store.update("shop", "prod", (s) => ({
      ...s,
      conditions: markReady(s.conditions, "applied abc", t0),
      lastAttemptedRevision: "abc",
      lastAppliedRevision: "abc",
      lastPlan: { create: 1, update: 0, delete: 0, deploy: 1, adopt: 0 },
      inventory: ["stack/shop app/web"],
      lastReconcileAt: t0.toISOString(),
    }));
    await store.update("blog", "prod", (s) => ({ ...s, lastError: "boom" }));
    const reopened = await openStatusStore({ dir });
    assert.deepEqual(reopened.list().map((s) => s.name), ["blog", "shop"]);
    assert.deepEqual(reopened.get("shop"), store.get("shop"));
    assert.deepEqual((await readdir(dir)).sort(), ["blog.json", "shop.json"], "one record per stack, no temporary file left behind");
    await reopened.remove("blog");
    assert.deepEqual((await openStatusStore({ dir })).list().map((s) => s.name), ["shop"]);
  });

  it("makes the status directory again when it was removed while running", async () => {
    const dir = join(await tempDir(), "status");
    const store = await openStatusStore({ dir });
    await store.update("shop", "prod", (s) => ({ ...s, lastError: "first" }));
    await store.flush();
    await rm(dir, { recursive: true });
    await store.update("shop", "prod", (s) => ({ ...s, lastError: "second" }));
    await store.flush();
    assert.equal((await readRecord(dir, "shop")).lastError, "second");
  });

  it("coalesces a burst of updates and ends with the latest state on disk", async () => {
    const dir = await tempDir();
    const store = await openStatusStore({ dir });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.update(`s${i % 5}`, "t", (s) => ({ ...s, lastAttemptedRevision: `r${i}` }))),
    );
    await store.flush();
    const onDisk = await Promise.all(["s0", "s1", "s2", "s3", "s4"].map((n) => readRecord(dir, n)));
    assert.deepEqual(onDisk.map((s) => s.lastAttemptedRevision), ["r45", "r46", "r47", "r48", "r49"]);
  });

  it("one stack's change writes that stack's record only, whatever the number of stacks", async () => {
    const dir = await tempDir();
    const store = await openStatusStore({ dir });
    for (let i = 0; i < 300; i++) await store.update(`s${i}`, "t", (s) => ({ ...s, inventory: [`project/p${i} environment/production`, "app/web"] }));
    await store.flush();
    const mtimes = async () => new Map(await Promise.all((await readdir(dir)).map(async (n) => [n, (await stat(join(dir, n))).mtimeMs] as const)));
    const before = await mtimes();
    await new Promise((r) => setTimeout(r, 20));
    await store.update("s7", "t", (s) => ({ ...s, lastError: "changed" }));
    const after = await mtimes();
    const rewritten = [...after].filter(([n, m]) => before.get(n) !== m).map(([n]) => n);
    assert.deepEqual(rewritten, ["s7.json"]);
    assert.ok((await stat(rec(dir, "s7"))).size < 400, "the record holds one stack");
  });

  it("moves an unusable record aside, reports it, and keeps the other stacks", async () => {
    const dir = await tempDir();
    const good = await openStatusStore({ dir });
    for (const n of ["good", "empty", "trunc", "version", "shape", "renamed"]) await good.update(n, "t", (s) => ({ ...s, lastAppliedRevision: "r1" }));
    const text = await readFile(rec(dir, "good"), "utf8");
    await writeFile(rec(dir, "empty"), "");
    await writeFile(rec(dir, "trunc"), text.slice(0, 40));
    await writeFile(rec(dir, "version"), text.replace('"version":1', '"version":7'));
    await writeFile(rec(dir, "shape"), text.replace('"inventory":[]', '"inventory":"all"'));
    await writeFile(rec(dir, "renamed"), text);
    await writeFile(join(dir, ".good.123.4.tmp"), "{half");
    const reported: { file: string; movedTo: string; problem: string }[] = [];
    const store = await openStatusStore({ dir, now: () => t1.getTime(), onQuarantine: (q) => reported.push(q) });
    assert.deepEqual(store.list().map((s) => s.name), ["good"]);
    assert.deepEqual(reported.map((q) => q.file).sort(), ["empty", "renamed", "shape", "trunc", "version"].map((n) => rec(dir, n)));
    assert.match(reported.find((q) => q.file === rec(dir, "shape"))!.problem, /wrong shape.*inventory/);
    assert.match(reported.find((q) => q.file === rec(dir, "version"))!.problem, /version 7/);
    assert.match(reported.find((q) => q.file === rec(dir, "renamed"))!.problem, /for stack 'good'/);
    const files = (await readdir(dir)).sort();
    assert.ok(files.includes("trunc.json.corrupt-2025-01-01T00-01-00.000Z"), files.join(" "));
    assert.ok(!files.some((f) => f.endsWith(".tmp")), "a crashed write's temporary file is removed");
    assert.equal((await openStatusStore({ dir })).list().length, 1, "a moved record is not read again");
  });

  it("carries an earlier version's state.json over once, and moves a corrupt one aside", async () => {
    const root = await tempDir();
    const legacyFile = join(root, "state.json");
    const entry = { name: "old", target: "t", conditions: [], lastAttemptedRevision: "r0", lastAppliedRevision: "r0", lastPlan: null, lastError: null, inventory: [], lastReconcileAt: null };
    await writeFile(legacyFile, JSON.stringify({ version: 1, stacks: [entry, { name: 3 }] }));
    const store = await openStatusStore({ dir: join(root, "status"), legacyFile, now: () => t0.getTime() });
    assert.deepEqual(store.get("old")?.lastAppliedRevision, "r0");
    await store.flush();
    assert.equal((await readRecord(join(root, "status"), "old")).lastAppliedRevision, "r0");
    assert.ok((await readdir(root)).includes("state.json.imported-2025-01-01T00-00-00.000Z"));
    await writeFile(legacyFile, '{"version":1,"sta');
    const reported: string[] = [];
    await openStatusStore({ dir: join(root, "status"), legacyFile, now: () => t1.getTime(), onQuarantine: (q) => reported.push(q.movedTo) });
    assert.deepEqual(reported, [`${legacyFile}.corrupt-2025-01-01T00-01-00.000Z`]);
  });

  it("a status directory that cannot be read is an error with a stable code", async () => {
    const dir = join(await tempDir(), "status");
    await writeFile(dir, "a file where the directory should be");
    await assert.rejects(openStatusStore({ dir }), (e: unknown) => e instanceof StatusStoreError && e.code === "status.unreadable" && e.subject === dir);
  });

  it("a failed write is reported and later writes still happen", async () => {
    const dir = await tempDir();
    const sub = join(dir, "sub");
    const store = await openStatusStore({ dir: sub });
    await writeFile(sub, ""); // a file where the directory should be: mkdir fails
    await assert.rejects(store.update("a", "t", (s) => s), (e: unknown) => e instanceof StatusStoreError && e.code === "status.write-failed");
    await rm(sub);
    await store.update("b", "t", (s) => s);
    await store.flush();
    assert.deepEqual((await openStatusStore({ dir: sub })).list().map((s) => s.name), ["a", "b"], "the failed record is written again with the next write");
  });
});

describe("status store writes", () => {
  it("does not rewrite the record when only lastReconcileAt moved, and saves it with the next real change", async () => {
    const dir = await tempDir();
    const store = await openStatusStore({ dir });
    await store.update("a", "t", (s) => ({ ...s, conditions: markReady(s.conditions, "applied r1", t0), lastReconcileAt: t0.toISOString() }));
    await store.flush();
    const saved = await readFile(rec(dir, "a"), "utf8");
    await store.update("a", "t", (s) => ({ ...s, conditions: markReady(s.conditions, "applied r1", t1), lastReconcileAt: t1.toISOString() }));
    await store.flush();
    assert.equal(await readFile(rec(dir, "a"), "utf8"), saved, "a quiet check is not written");
    assert.equal(store.get("a")?.lastReconcileAt, t1.toISOString(), "but is served from memory");
    await store.update("a", "t", (s) => ({ ...s, conditions: markReady(s.conditions, "applied r2", t2), lastReconcileAt: t2.toISOString() }));
    await store.flush();
    assert.match(await readFile(rec(dir, "a"), "utf8"), /applied r2[\s\S]*2025-01-01T00:02:00/);
  });
});
