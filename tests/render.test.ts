/**
 * The plan renderer: golden files of the text and markdown renderings of a plan with every kind of change, the
 * JSON document's version and shape, units, masking, colour, and the markdown length cap.
 * Run with UPDATE_GOLDEN=1 to rewrite the golden files after an intended change (then review the diff).
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { PLAN_FORMAT_VERSION, formatBytes, formatDuration, planToJson, renderPlanMarkdown, renderPlanText } from "../controller/render/index.ts";
import { fieldLines, formatFieldLine } from "../controller/render/values.ts";
import { goldenPlan } from "./helpers/render-plan.ts";

function golden(name: string, actual: string): void {
  const file = new URL(`./fixtures/render/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, "utf8"), `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`);
}

describe("plan renderer", () => {
  it("renders text as in the golden file", () => {
    golden("plan.txt", renderPlanText(goldenPlan(), { colour: false }));
  });

  it("renders markdown as in the golden file", () => {
    golden("plan.md", renderPlanMarkdown([goldenPlan()]));
  });

  it("never prints a secret value, in any format", () => {
    const p = goldenPlan();
    const all = renderPlanText(p, { colour: true }) + renderPlanMarkdown([p]) + JSON.stringify(planToJson(p));
    assert.doesNotMatch(all, /secret-value/);
    assert.match(all, /env\.TOKEN: \(value on server hidden\) → \(sensitive value\)/);
    const registry = { kind: "image", image: "x", registry: { url: "r", username: "u", password: "(sensitive value)" } };
    assert.deepEqual(fieldLines({ field: "source", before: registry, after: registry }).map(formatFieldLine), ["source: (sensitive value) → (sensitive value)"], "a change of a masked value alone is still shown");
  });

  it("shows nested values element by element and in the manifest's units", () => {
    const text = renderPlanText(goldenPlan(), { colour: false });
    assert.match(text, /~ memory: 4Gi → 8Gi/);
    assert.match(text, /~ healthcheck\.interval: 1m30s|~ healthcheck\.interval: 30s → 1m30s/);
    assert.match(text, /\+ volumes\[\/cache\]: \{type: "bind", hostPath: "\/srv\/cache", mountPath: "\/cache", readOnly: false\}/);
    assert.match(text, /~ volumes\[\/data\]\.readOnly: false → true/);
    assert.doesNotMatch(text, /volumes\[\/data\]: /, "an unchanged volume is not printed whole");
    assert.match(text, /~ source\.image: "nginx:1\.27" → "nginx:1\.28"/);
    assert.doesNotMatch(text, /memoryBytes|\{"kind"/);
  });

  it("lists deletions first and marks them", () => {
    const text = renderPlanText(goldenPlan(), { colour: false });
    const lines = text.split("\n");
    assert.match(lines[1]!, /^! 3 to delete:$/);
    assert.match(text.split("\n").at(-2)!, /^Plan: 3 to delete, \d+ to create, \d+ to update, \d+ to adopt, \d+ to deploy\.$/);
    const md = renderPlanMarkdown([goldenPlan()]);
    assert.ok(md.indexOf("3 to delete:") < md.indexOf("<details>"), "deletions before the sections");
  });

  it("colours only when asked", () => {
    const p = goldenPlan();
    assert.doesNotMatch(renderPlanText(p, { colour: false }), /\u001b\[/);
    assert.match(renderPlanText(p, { colour: true }), /\u001b\[31m/);
  });

  it("writes a versioned JSON document with the deletions listed", () => {
    const doc = planToJson(goldenPlan()) as { summary: Record<string, number>; deletions: string[] };
    assert.equal(PLAN_FORMAT_VERSION, 1);
    assert.equal(doc.summary.delete, doc.deletions.length);
    assert.ok(doc.deletions.includes("stack/shop app/worker"));
  });

  it("caps markdown at the length asked for, keeping totals and deletions and saying what was left out", () => {
    const p = goldenPlan();
    const full = renderPlanMarkdown([p]);
    const capped = renderPlanMarkdown([p], { maxLength: 1500 });
    assert.ok(full.length > 1500, "the test plan is longer than the cap");
    assert.ok(capped.length <= 1500, `${capped.length} characters`);
    assert.match(capped, /\*\*Plan: 3 to delete/);
    assert.match(capped, /3 to delete:/);
    assert.match(capped, /more section\(s\) not shown: this summary is capped at 1500 characters; run `stackctl diff` for the full plan/);
    assert.ok(renderPlanMarkdown([p], { maxLength: 50 }).length <= 50);
  });

  it("fences values that hold backticks so they cannot break out of the code block", () => {
    const p = goldenPlan();
    p.stacks.find((s) => s.stack === "shop")!.changes[0]!.diff.push({ field: "command", before: null, after: "echo ```\n</details>" });
    const md = renderPlanMarkdown([p]);
    assert.match(md, /^````diff$/m);
  });

  it("formats sizes and durations as manifests write them", () => {
    assert.equal(formatBytes(8 * 1024 ** 3), "8Gi");
    assert.equal(formatBytes(512 * 1024 ** 2), "512Mi");
    assert.equal(formatBytes(1536 * 1024 ** 2), "1536Mi");
    assert.equal(formatBytes(1000), "1000");
    assert.equal(formatDuration(90_000), "1m30s");
    assert.equal(formatDuration(250), "250ms");
    assert.equal(formatDuration(3_600_000), "1h");
    const lines = fieldLines({ field: "ports", before: [80], after: [80, 443] }).map(formatFieldLine);
    assert.deepEqual(lines, ["ports: [80] → [80, 443]"]);
  });
});
