import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
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

describe("status store", () => {
  it("persists atomically and reloads after a restart", async () => {
    const file = join(await tempDir(), "state", "status.json");
    const store = await openStatusStore(file);
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
    const reopened = await openStatusStore(file);
    assert.deepEqual(reopened.list().map((s) => s.name), ["blog", "shop"]);
    assert.deepEqual(reopened.get("shop"), store.get("shop"));
    assert.deepEqual(await readdir(join(file, "..")), ["status.json"], "no temporary file left behind");
    await reopened.remove("blog");
    assert.deepEqual((await openStatusStore(file)).list().map((s) => s.name), ["shop"]);
  });

  it("coalesces a burst of updates and ends with the latest state on disk", async () => {
    const file = join(await tempDir(), "status.json");
    const store = await openStatusStore(file);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.update(`s${i % 5}`, "t", (s) => ({ ...s, lastAttemptedRevision: `r${i}` }))),
    );
    await store.flush();
    const onDisk = JSON.parse(await readFile(file, "utf8")) as { stacks: { name: string; lastAttemptedRevision: string }[] };
    assert.deepEqual(
      onDisk.stacks.map((s) => s.lastAttemptedRevision),
      ["r45", "r46", "r47", "r48", "r49"],
    );
  });

  it("rejects a corrupt state file with a stable code", async () => {
    const file = join(await tempDir(), "status.json");
    await writeFile(file, "{not json");
    await assert.rejects(openStatusStore(file), (e: unknown) => e instanceof StatusStoreError && e.code === "status.unreadable");
    await writeFile(file, JSON.stringify({ version: 99, stacks: [] }));
    await assert.rejects(openStatusStore(file), (e: unknown) => e instanceof StatusStoreError && e.subject === file);
  });

  it("a failed write is reported and later writes still happen", async () => {
    const dir = await tempDir();
    const file = join(dir, "sub", "status.json");
    const store = await openStatusStore(file);
    await writeFile(join(dir, "sub"), ""); // a file where the directory should be: mkdir fails
    await assert.rejects(store.update("a", "t", (s) => s), (e: unknown) => e instanceof StatusStoreError && e.code === "status.write-failed");
    await rm(join(dir, "sub"));
    await store.update("b", "t", (s) => s);
    assert.deepEqual((await openStatusStore(file)).list().map((s) => s.name), ["a", "b"]);
  });
});

describe("status store writes", () => {
  it("does not rewrite the file when only lastReconcileAt moved, and saves it with the next real change", async () => {
    const file = join(await tempDir(), "state.json");
    const store = await openStatusStore(file);
    await store.update("a", "t", (s) => ({ ...s, conditions: markReady(s.conditions, "applied r1", t0), lastReconcileAt: t0.toISOString() }));
    await store.flush();
    const saved = await readFile(file, "utf8");
    await store.update("a", "t", (s) => ({ ...s, conditions: markReady(s.conditions, "applied r1", t1), lastReconcileAt: t1.toISOString() }));
    await store.flush();
    assert.equal(await readFile(file, "utf8"), saved, "a quiet check is not written");
    assert.equal(store.get("a")?.lastReconcileAt, t1.toISOString(), "but is served from memory");
    await store.update("a", "t", (s) => ({ ...s, conditions: markReady(s.conditions, "applied r2", t2), lastReconcileAt: t2.toISOString() }));
    await store.flush();
    assert.match(await readFile(file, "utf8"), /applied r2[\s\S]*2025-01-01T00:02:00/);
  });
});
