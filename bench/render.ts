/**
 * Benchmark of the plan renderer (not a test: run `node bench/render.ts [N]`). Plans N stacks (default 1,000), each
 * the golden test's mix — an update with nested volume, env and unit changes, a create with a domain, deploys and
 * a deletion — then renders the plan as text, markdown (uncapped, and capped at 60,000 characters as for a
 * pull-request comment) and json. Prints a markdown table; the target is under a second for text and markdown.
 */
import { plan } from "../controller/plan/index.ts";
import { planToJson, renderPlanMarkdown, renderPlanText } from "../controller/render/index.ts";
import { planInput, stack } from "../tests/helpers/plan-builders.ts";
import { goldenWorld } from "../tests/helpers/render-plan.ts";

const n = Number(process.argv[2] ?? 1000);
const { desired: golden, actual: goldenActual } = goldenWorld();
const shopNow = golden.find((s) => s.name === "shop")!;
const shopBefore = goldenActual.projects.find((p) => p.name === "shop")!;
const desired = Array.from({ length: n }, (_, i) => stack(`shop-${i}`, { project: `shop-${i}`, applications: shopNow.applications }));
const actual = { projects: Array.from({ length: n }, (_, i) => relabel(shopBefore, i)) };
const p = plan(planInput(desired, actual, { allowMassDeletion: true }));

function relabel(project: (typeof goldenActual.projects)[number], i: number) {
  const text = JSON.stringify(project).replaceAll("stack=shop]", `stack=shop-${i}]`).replaceAll('"stack":"shop"', `"stack":"shop-${i}"`);
  return { ...JSON.parse(text), name: `shop-${i}`, id: `prj-${i}` };
}

/** The first run (what one CLI invocation pays, cold) and the best of five. */
function best(fn: () => string, runs = 5): { first: number; ms: number; chars: number } {
  let ms = Infinity;
  let first = 0;
  let chars = 0;
  for (let r = 0; r < runs; r += 1) {
    const start = performance.now();
    chars = fn().length;
    const took = performance.now() - start;
    if (r === 0) first = took;
    ms = Math.min(ms, took);
  }
  return { first, ms, chars };
}

const changes = p.stacks.reduce((sum, s) => sum + s.changes.length, 0);
const rows = [
  ["text", best(() => renderPlanText(p, { colour: false }))],
  ["text, colour", best(() => renderPlanText(p, { colour: true }))],
  ["markdown, uncapped", best(() => renderPlanMarkdown([p], { maxLength: Number.MAX_SAFE_INTEGER }))],
  ["markdown, capped at 60,000", best(() => renderPlanMarkdown([p]))],
  ["json", best(() => JSON.stringify(planToJson(p)))],
] as const;
console.log(`Node ${process.version}, ${process.platform}/${process.arch}: ${n} stacks, ${changes} changes\n`);
console.log("| format | first run | best of 5 | output |\n|---|---:|---:|---:|");
for (const [name, r] of rows) console.log(`| ${name} | ${r.first.toFixed(0)} ms | ${r.ms.toFixed(0)} ms | ${(r.chars / 1024).toFixed(0)} KiB |`);
