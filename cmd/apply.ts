/**
 * `stackctl apply [PATH...]`: the plan `diff` prints, then executed. A progress line per stack while it runs and
 * a summary at the end; exit 0 when everything applied, 1 when anything failed or was refused, 2 on usage or
 * configuration errors. `--dry-run` stops after printing the plan.
 */
import { parseArgs } from "node:util";
import type { ApplyEvent, ApplyResult } from "../controller/apply.ts";
import { applyPlan } from "../controller/apply.ts";
import { formatStackError } from "../controller/errors.ts";
import { hasErrors } from "../controller/plan/types.ts";
import { renderPlanText } from "../controller/render.ts";
import { formatManifestError } from "./manifests.ts";
import type { CliIO, Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";
import type { Prepared } from "./prepare.ts";
import { PLAN_OPTIONS, PLAN_OPTIONS_HELP, planWith, suspendedNotes } from "./prepare.ts";

const HELP = `usage: stackctl apply [PATH...] [--config FILE] [--dry-run] [--stack NAME] [--selector K=V] [--exclude PATTERN] [--allow-mass-deletion] [--concurrency N]

Makes the servers match the Stack manifests in PATH (files or directories, default: .).
Exit codes: 0 applied, 1 a stack failed or the plan was refused, 2 usage or configuration error.

${PLAN_OPTIONS_HELP}`;

/** run implements the apply verb. */
export const run: Verb = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { ...PLAN_OPTIONS, "dry-run": { type: "boolean", default: false }, concurrency: { type: "string", default: "4" } },
    });
  } catch (err) {
    io.stderr(`stackctl apply: ${(err as Error).message}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) return io.stdout(HELP), 0;
  const concurrency = Number(parsed.values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    io.stderr("stackctl apply: --concurrency must be a positive integer\n");
    return EXIT_USAGE;
  }
  return planWith("apply", parsed, io, (prepared) => applyAll(prepared, io, { dryRun: parsed.values["dry-run"], concurrency }));
};

async function applyAll(p: Prepared, io: CliIO, opts: { dryRun: boolean; concurrency: number }): Promise<number> {
  const colour = io.isTTY && !io.env.NO_COLOR;
  for (const e of p.manifestErrors) io.stderr(`${formatManifestError(e)}\n`);
  io.stderr(suspendedNotes(p));
  for (const e of p.errors) io.stderr(`error: ${formatStackError(e)}\n`);
  let failed = p.errors.length > 0 || p.manifestErrors.length > 0;
  const results: ApplyResult[] = [];
  for (const t of p.plans) {
    if (t.error) {
      io.stderr(`error: ${formatStackError(t.error)}\n`);
      failed = true;
      continue;
    }
    io.stdout(renderPlanText(t.plan, { colour }));
    if (opts.dryRun) {
      failed ||= hasErrors(t.plan);
      continue;
    }
    const provider = p.targets.find((x) => x.name === t.target)!.provider;
    const result = await applyPlan(t.plan, provider, { concurrency: opts.concurrency, onEvent: (e) => io.stdout(progressLine(e)), signal: io.signal });
    for (const e of result.errors) io.stderr(`error: ${formatStackError(e)}\n`);
    results.push(result);
  }
  if (opts.dryRun) {
    io.stdout("dry run: nothing was applied\n");
    return failed ? 1 : 0;
  }
  io.stdout(summary(results));
  failed ||= results.some((r) => r.refused || r.errors.length > 0 || r.stacks.some((s) => s.status === "failed"));
  return failed ? 1 : 0;
}

function progressLine(event: ApplyEvent): string {
  if (event.type === "stack-start") return `stack/${event.stack}: applying ${event.changes} change(s)…\n`;
  if (event.type !== "stack-done") return "";
  const r = event.result;
  if (r.status === "failed") return `stack/${r.stack}: failed: ${r.errors.map((e) => `${e.subject}: ${e.message}`).join("; ")}\n`;
  const deployed = r.deployed.length > 0 ? `, deployed ${r.deployed.length}` : "";
  return `stack/${r.stack}: ${r.mode === "teardown" ? "torn down" : "applied"} (${r.created} created, ${r.updated} updated, ${r.deleted} deleted${deployed})\n`;
}

/** The closing line: stacks by outcome and objects by action, across every target. */
function summary(results: readonly ApplyResult[]): string {
  const stacks = results.flatMap((r) => r.stacks);
  const sum = (f: (s: (typeof stacks)[number]) => number) => stacks.reduce((n, s) => n + f(s), 0);
  const failed = stacks.filter((s) => s.status === "failed").length;
  const unchanged = stacks.filter((s) => s.status === "unchanged").length;
  const refused = results.some((r) => r.refused) ? " Plan refused: nothing applied." : "";
  return `Apply: ${sum((s) => s.created)} created, ${sum((s) => s.updated)} updated, ${sum((s) => s.deleted)} deleted, ${sum((s) => s.deployed.length)} deployed; stacks: ${unchanged} unchanged, ${failed} failed.${refused}\n`;
}
