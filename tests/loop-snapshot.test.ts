/**
 * The pieces of the controller loop that decide what to re-queue and when: snapshots of a revision and what changed
 * between two, the drift slots, and the locks that keep two reconciles of one project apart.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextDriftCheck } from "../controller/loop/context.ts";
import { createTargetLocks } from "../controller/loop/locks.ts";
import { buildSnapshot, changedStacks } from "../controller/loop/snapshot.ts";
import type { ManifestDir } from "./helpers/stacks.ts";
import { manifestDir } from "./helpers/stacks.ts";

const app = (image = "nginx:1.27", env: Record<string, unknown> = {}) => ({ applications: [{ name: "web", image, env }] });

async function snapshotOf(dir: ManifestDir, secrets: Record<string, string> = {}, revision = "r1") {
  return buildSnapshot(dir.dir, revision, { targets: ["default"], resolveSecret: (n) => secrets[n], describeSecret: (n) => `env ${n}` });
}

describe("snapshots", () => {
  it("separates reconcilable, invalid and secret-less stacks, with file and line for invalid ones", async () => {
    const dir = manifestDir();
    dir.put("good", { project: "p1", ...app() });
    dir.put("needs-secret", { project: "p2", ...app("nginx:1.27", { TOKEN: { secret: "TOKEN" } }) });
    dir.write("stacks/broken.yaml", "apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata: { name: broken }\nspec:\n  project: p3\n  applications: [{ name: web, imag: x }]\n");
    const snap = await snapshotOf(dir);
    assert.deepEqual([...snap.stacks.keys()], ["good"]);
    assert.equal(snap.failed.get("needs-secret")?.reason, "SecretMissing");
    assert.equal(snap.failed.get("broken")?.reason, "InvalidManifest");
    assert.match(snap.failed.get("broken")!.message, /stacks\/broken\.yaml:6:\d+: /);
    assert.deepEqual(snap.unattributed, []);
    dir.cleanup();
  });

  it("reports a file that does not parse as unattributed, so teardown is suspended", async () => {
    const dir = manifestDir();
    dir.write("stacks/bad.yaml", "key: [unclosed\n");
    const snap = await snapshotOf(dir);
    assert.equal(snap.unattributed.length, 1);
    dir.cleanup();
  });

  it("re-queues only the stacks whose manifest or resolved secret changed, appeared or went away", async () => {
    const dir = manifestDir();
    dir.put("a", { project: "pa", ...app() });
    dir.put("b", { project: "pb", ...app("nginx:1.27", { T: { secret: "T" } }) });
    dir.put("c", { project: "pc", ...app() });
    const first = await snapshotOf(dir, { T: "one" });
    assert.deepEqual(changedStacks(null, first), ["a", "b", "c"]);
    assert.deepEqual(changedStacks(first, await snapshotOf(dir, { T: "one" }, "r2")), [], "a new revision with the same content changes nothing");
    assert.deepEqual(changedStacks(first, await snapshotOf(dir, { T: "two" })), ["b"], "a changed secret value re-queues its stack");
    dir.put("a", { project: "pa", ...app("nginx:1.28") });
    dir.remove("c");
    dir.put("d", { project: "pd", ...app() });
    assert.deepEqual(changedStacks(first, await snapshotOf(dir, { T: "one" })), ["a", "c", "d"]);
    dir.cleanup();
  });
});

describe("drift slots", () => {
  const interval = 600_000;

  it("keeps each stack on its own slot whatever time it ran", () => {
    for (const now of [0, 123_456, 599_999, 1_000_000]) {
      const at = now + nextDriftCheck(0.5, interval, now);
      assert.equal(((at % interval) + interval) % interval, 300_000, `slot from ${now}`);
    }
  });

  it("never checks again sooner than a quarter interval, nor later than an interval and a quarter", () => {
    for (let now = 0; now < interval; now += 7_919) {
      const delay = nextDriftCheck(0.37, interval, now);
      assert.ok(delay >= interval / 4 && delay <= interval * 1.25, `delay ${delay} at ${now}`);
    }
  });
});

/** recorder makes jobs that log their start (`name+`) and end (`name-`) into `events`. */
function recorder(events: string[]) {
  return (name: string, ms: number) => async () => {
    events.push(`${name}+`);
    await new Promise((r) => setTimeout(r, ms));
    events.push(`${name}-`);
  };
}

describe("target locks", () => {
  it("runs two reconciles of one project one after the other, and of two projects at once", async () => {
    const locks = createTargetLocks();
    const events: string[] = [];
    const job = recorder(events);
    await Promise.all([locks.withProject("t", "p", job("a", 30)), locks.withProject("t", "p", job("b", 1)), locks.withProject("t", "q", job("c", 1))]);
    assert.ok(events.indexOf("a-") < events.indexOf("b+"), events.join(" "));
    assert.ok(events.indexOf("c+") < events.indexOf("a-"), `another project does not wait: ${events.join(" ")}`);
  });

  it("gives a target-wide sweep the target alone, and a waiting sweep goes before later reconciles", async () => {
    const locks = createTargetLocks();
    const events: string[] = [];
    const job = recorder(events);
    const first = locks.withProject("t", "p", job("a", 20));
    const sweep = locks.withTarget("t", job("sweep", 10));
    const later = locks.withProject("t", "q", job("b", 1));
    await Promise.all([first, sweep, later]);
    assert.deepEqual(events, ["a+", "a-", "sweep+", "sweep-", "b+", "b-"]);
  });
});
