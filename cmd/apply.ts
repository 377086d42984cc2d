/**
 * `stackctl apply [PATH...]`: the plan `diff` prints, then executed. Progress lines while it runs (cmd/progress.ts)
 * and a summary with totals and elapsed time at the end; exit 0 when everything applied, 1 when anything failed,
 * was refused or was not confirmed, 2 on usage or configuration errors. `--dry-run` stops after printing the plan.
 * On a terminal, a plan that deletes anything is confirmed first (cmd/confirm.ts) unless `--yes` is given.
 */
import { parseArgs } from "node:util";
import type { ApplyResult } from "../controller/apply.ts";
import { applyPlan } from "../controller/apply.ts";
import type { WaitPolicy } from "../controller/deploy/wait.ts";
import { formatStackError } from "../controller/errors.ts";
import { durationToMs } from "../controller/units.ts";
import type { Plan } from "../controller/plan/types.ts";
import { hasErrors } from "../controller/plan/types.ts";
import { ACTION_ORDER, countsPhrase, renderPlanText } from "../controller/render/index.ts";
import { confirmDeletions } from "./confirm.ts";
import { formatManifestError } from "./manifests.ts";
import type { CliIO, Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";
import type { Prepared } from "./prepare.ts";
import { PLAN_OPTIONS, PLAN_OPTIONS_HELP, planWith, suspendedNotes } from "./prepare.ts";
import { createProgress, formatElapsed } from "./progress.ts";
import type { SavedPlan } from "../controller/planfile/schema.ts";
import { PLAN_AGAIN, SavedPlanError, readSavedPlan, staleReasons } from "./saved-plan.ts";

const HELP = `usage: stackctl apply [PATH...|PLAN.json] [--config FILE] [--dry-run] [--allow-mass-deletion] [--concurrency N]
                     [--quiet] [--yes|--auto-approve] [--wait=true|false] [--timeout DURATION]
                     [--stack NAME] [--selector K=V] [--exclude PATTERN]

Makes the servers match the Stack manifests in PATH (files or directories, default: .), or applies exactly the
plan saved by 'stackctl diff --out PLAN.json' (refused when the manifests or the servers changed since).
  --quiet          print only the summary and errors
  --yes            do not ask before deleting (also --auto-approve); without a terminal nothing is asked
  --wait=false     return once the deployments are started (default: wait until each ended and its app runs)
  --timeout D      how long the whole apply waits for deployments (default 10m); still running then is a failure
  --poll-interval D  first delay between deployment polls (default 1s, or STACKCTL_POLL_INTERVAL); grows to 10x, at most 10s
Exit codes: 0 applied, 1 a stack or deployment failed or timed out, the plan was refused or not confirmed,
2 usage or configuration error.

${PLAN_OPTIONS_HELP}`;

/** How applyAll runs. */
export interface ApplyFlags {
  dryRun: boolean;
  concurrency: number;
  quiet: boolean;
  yes: boolean;
  /** How deployments are waited for; null: not at all (`--wait=false`). */
  waiting: WaitFlags | null;
}

/** What `--wait`, `--timeout` and `--poll-interval` ask for. */
export interface WaitFlags {
  timeoutMs: number;
  pollMs: number;
}

/** The options apply adds to the planning ones, for `parseArgs`. */
export const APPLY_OPTIONS = {
  ...PLAN_OPTIONS,
  "dry-run": { type: "boolean", default: false },
  concurrency: { type: "string", default: "4" },
  quiet: { type: "boolean", short: "q", default: false },
  yes: { type: "boolean", short: "y", default: false },
  "auto-approve": { type: "boolean", default: false },
  wait: { type: "string", default: "true" },
  timeout: { type: "string", default: "10m" },
  "poll-interval": { type: "string" },
} as const;

/** run implements the apply verb. */
export const run: Verb = async (args, io) => {
  let parsed;
  try {
    // `--wait` alone means true; `--wait=false` and `--no-wait` turn waiting off.
    const normalized = args.map((a) => (a === "--wait" ? "--wait=true" : a === "--no-wait" ? "--wait=false" : a));
    parsed = parseArgs({ args: normalized, allowPositionals: true, options: APPLY_OPTIONS });
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
  const v = parsed.values;
  let waiting: WaitFlags | null;
  try {
    waiting = waitFlags(v.wait, v.timeout, v["poll-interval"] ?? io.env.STACKCTL_POLL_INTERVAL ?? "1s");
  } catch (err) {
    io.stderr(`stackctl apply: ${(err as Error).message}\n`);
    return EXIT_USAGE;
  }
  const flags: ApplyFlags = { dryRun: v["dry-run"], concurrency, quiet: v.quiet, yes: v.yes || v["auto-approve"], waiting };
  if (parsed.positionals.length === 1) {
    let saved;
    try {
      saved = await readSavedPlan(parsed.positionals[0]!, io);
    } catch (err) {
      if (!(err instanceof SavedPlanError)) throw err;
      io.stderr(`stackctl apply: ${err.message} [${err.code}]\n`);
      return EXIT_USAGE;
    }
    if (saved) return applySaved(saved, parsed.values.config, flags, io);
  }
  return planWith("apply", parsed, io, (prepared, out) => applyAll(prepared, out, flags));
};

/**
 * applySaved applies a saved plan: planned again from the same manifest paths, refused when anything moved, and
 * otherwise applied without a question (the saved plan is what was reviewed and approved).
 */
async function applySaved(saved: SavedPlan, config: string | undefined, flags: ApplyFlags, io: CliIO): Promise<number> {
  const parsed = { positionals: saved.paths, values: { config, "allow-mass-deletion": saved.allowMassDeletion } };
  return planWith("apply", parsed, io, async (prepared, out) => {
    const reasons = await staleReasons(saved, prepared, out);
    if (reasons.length > 0) {
      out.stderr(`stackctl apply: the saved plan (made ${saved.createdAt}) is stale, nothing was applied:\n${reasons.map((r) => `  - ${r}\n`).join("")}${PLAN_AGAIN} [planfile.stale]\n`);
      return 1;
    }
    return applyAll(prepared, out, { ...flags, yes: true });
  });
}

function waitFlags(wait: string, timeout: string, poll: string): WaitFlags | null {
  if (wait !== "true" && wait !== "false") throw new Error(`--wait must be true or false, got '${wait}'`);
  const ms = (flag: string, text: string) => {
    let n = NaN;
    try {
      n = durationToMs(text);
    } catch {
      // reported below
    }
    if (!(n > 0)) throw new Error(`--${flag} must be a duration such as 90s or 10m, got '${text}'`);
    return n;
  };
  const flags = { timeoutMs: ms("timeout", timeout), pollMs: ms("poll-interval", poll) };
  return wait === "true" ? flags : null;
}

/** The wait of one apply: a single deadline however many targets and stacks, log tails scrubbed by the process's scrubber. */
function policyOf(flags: WaitFlags, p: Prepared, signal: AbortSignal): WaitPolicy {
  return { deadline: Date.now() + flags.timeoutMs, initialPollMs: flags.pollMs, maxPollMs: Math.min(10_000, flags.pollMs * 10), scrub: (t) => p.scrub.text(t), signal };
}

/** applyAll prints the plans, confirms deletions when it must, applies every target and prints the summary. */
export async function applyAll(p: Prepared, io: CliIO, opts: ApplyFlags): Promise<number> {
  const colour = io.isTTY && !io.env.NO_COLOR;
  for (const e of p.manifestErrors) io.stderr(`${formatManifestError(e)}\n`);
  if (!opts.quiet) io.stderr(suspendedNotes(p));
  for (const e of p.errors) io.stderr(`error: ${formatStackError(e)}\n`);
  let failed = p.errors.length > 0 || p.manifestErrors.length > 0;
  const plans: Plan[] = [];
  for (const t of p.plans) {
    if (t.error) {
      io.stderr(`error: ${formatStackError(t.error)}\n`);
      failed = true;
      continue;
    }
    if (!opts.quiet) io.stdout(renderPlanText(t.plan, { colour }));
    plans.push(t.plan);
  }
  if (opts.dryRun) {
    io.stdout("dry run: nothing was applied\n");
    return failed || plans.some(hasErrors) ? 1 : 0;
  }
  if (!opts.yes && !(await confirmDeletions(plans, io))) return 1;
  const started = performance.now();
  const wait = opts.waiting ? policyOf(opts.waiting, p, io.signal) : undefined;
  const results: ApplyResult[] = [];
  for (const plan of plans) {
    const provider = p.targets.find((x) => x.name === plan.target)!.provider;
    const progress = createProgress({ write: io.stdout, quiet: opts.quiet });
    try {
      results.push(await applyPlan(plan, provider, { concurrency: opts.concurrency, onEvent: progress.onEvent, signal: io.signal, ...(wait ? { wait } : {}) }));
    } finally {
      progress.close();
    }
    for (const e of results.at(-1)!.errors) io.stderr(`error: ${formatStackError(e)}\n`);
  }
  io.stdout(summary(results, performance.now() - started));
  failed ||= results.some((r) => r.refused || r.errors.length > 0 || r.stacks.some((s) => s.status === "failed"));
  return failed ? 1 : 0;
}

/** The closing line: objects by action (counted as the plan counts them), elapsed time, then stacks by outcome. */
function summary(results: readonly ApplyResult[], elapsedMs: number): string {
  const stacks = results.flatMap((r) => r.stacks);
  const counts = { create: 0, update: 0, delete: 0, deploy: 0, adopt: 0 };
  for (const r of results) for (const a of ACTION_ORDER) counts[a] += r.counts[a];
  const failed = stacks.filter((s) => s.status === "failed").length;
  const unchanged = stacks.filter((s) => s.status === "unchanged").length;
  const refused = results.some((r) => r.refused) ? " Plan refused: nothing applied." : "";
  return `Apply: ${countsPhrase(counts, "done")} in ${formatElapsed(elapsedMs)}; stacks: ${unchanged} unchanged, ${failed} failed.${refused}${deploymentsPhrase(stacks)}\n`;
}

/** How the waited-for deployments ended, e.g. ` Deployments: 2 running, 1 failed, 0 timed out.` (empty when none was waited for). */
function deploymentsPhrase(stacks: readonly ApplyResult["stacks"][number][]): string {
  const reports = stacks.flatMap((s) => s.deployments ?? []);
  if (reports.length === 0) return "";
  const by = (o: string) => reports.filter((r) => r.outcome === o).length;
  return ` Deployments: ${by("succeeded")} running, ${by("failed")} failed, ${by("timeout")} timed out${by("unknown") ? `, ${by("unknown")} state unknown` : ""}.`;
}
