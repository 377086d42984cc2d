/**
 * `stackctl diff [PATH...]`: validate, observe, print the plan. Exit 0 when nothing would change, 1 when something
 * would, 2 or more on errors (invalid manifests, missing secrets, unreachable targets, refused plans).
 */
import { parseArgs } from "node:util";
import { formatStackError } from "../controller/errors.ts";
import { hasChanges, hasErrors } from "../controller/plan/types.ts";
import { PLAN_FORMAT_VERSION, planToJson, renderPlanMarkdown, renderPlanText } from "../controller/render/index.ts";
import { commentOnPullRequest, resolveCommentSettings } from "./github-comment.ts";
import { formatManifestError } from "./manifests.ts";
import { SavedPlanError, savedPlanOf, writeSavedPlan } from "./saved-plan.ts";
import type { CliIO, Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";
import type { Prepared } from "./prepare.ts";
import { PLAN_OPTIONS, PLAN_OPTIONS_HELP, planWith, suspendedNotes } from "./prepare.ts";

const HELP = `usage: stackctl diff [PATH...] [--config FILE] [--format text|json|markdown] [--allow-mass-deletion] [--out FILE]
                     [--github-comment [--repo OWNER/NAME --pr N]] [--stack NAME] [--selector K=V] [--exclude PATTERN]

Shows what 'stackctl apply' would change. PATH: files or directories of Stack manifests (default: .).
  --out FILE         also save the plan, for 'stackctl apply FILE' to apply exactly it (no secret is written)
  --github-comment   also post the plan on the pull request, one comment per target, updated in place; the whole
                     plan goes to GITHUB_STEP_SUMMARY when set. Reads GITHUB_TOKEN, GITHUB_API_URL,
                     GITHUB_REPOSITORY and GITHUB_EVENT_PATH; outside GitHub Actions give --repo and --pr.
Exit codes: 0 no changes, 1 changes, 2 errors (also when the comment cannot be posted).

${PLAN_OPTIONS_HELP}`;

/** run implements the diff verb. */
export const run: Verb = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...PLAN_OPTIONS,
        format: { type: "string", default: "text" },
        out: { type: "string" },
        "github-comment": { type: "boolean", default: false },
        repo: { type: "string" },
        pr: { type: "string" },
      },
    });
  } catch (err) {
    io.stderr(`stackctl diff: ${(err as Error).message}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) return io.stdout(HELP), 0;
  const format = parsed.values.format;
  if (format !== "text" && format !== "json" && format !== "markdown") {
    io.stderr(`stackctl diff: --format must be text, json or markdown\n`);
    return EXIT_USAGE;
  }
  const printers = { text: printText, json: printJson, markdown: printMarkdown };
  const save = parsed.values.out;
  const github = parsed.values["github-comment"] ? await resolveCommentSettings(parsed.values, io) : null;
  if (github && "error" in github) {
    io.stderr(`stackctl diff: ${github.error}\n`);
    return EXIT_USAGE;
  }
  return planWith("diff", parsed, io, async (prepared, out) => {
    let code = printers[format](prepared, out);
    if (save !== undefined) code = await saveTo(save, prepared, parsed.positionals, parsed.values["allow-mass-deletion"], out, code);
    if (github && !(await commentOnPullRequest(prepared, github, out))) return EXIT_USAGE;
    return code;
  });
};

function exitCode(p: Prepared): number {
  const failed = p.errors.length > 0 || p.manifestErrors.length > 0 || p.plans.some((t) => t.error || hasErrors(t.plan!));
  if (failed) return EXIT_USAGE;
  return p.plans.some((t) => t.plan && hasChanges(t.plan)) ? 1 : 0;
}

function printText(p: Prepared, io: CliIO): number {
  const colour = io.isTTY && !io.env.NO_COLOR;
  for (const e of p.manifestErrors) io.stderr(`${formatManifestError(e)}\n`);
  io.stderr(suspendedNotes(p));
  for (const e of p.errors) io.stderr(`error: ${formatStackError(e)}\n`);
  for (const t of p.plans) {
    if (t.error) io.stderr(`error: ${formatStackError(t.error)}\n`);
    else io.stdout(renderPlanText(t.plan, { colour }));
  }
  return exitCode(p);
}

function printJson(p: Prepared, io: CliIO): number {
  const doc = {
    formatVersion: PLAN_FORMAT_VERSION,
    errors: p.errors,
    manifestErrors: p.manifestErrors,
    targets: p.plans.map((t) => (t.error ? { target: t.target, error: t.error } : planToJson(t.plan))),
  };
  io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  return exitCode(p);
}

/** Markdown for a job summary or a comment: the same plans, with manifest and secret errors (also on stderr). */
function printMarkdown(p: Prepared, io: CliIO): number {
  const problems = [...p.manifestErrors.map(formatManifestError), ...p.errors.map(formatStackError)];
  for (const line of problems) io.stderr(`${line}\n`);
  io.stdout(renderPlanMarkdown(p.plans, { problems }));
  return exitCode(p);
}

/** Saves the plan for `apply FILE`; a plan with errors is not saved (it could not be applied as reviewed). */
async function saveTo(file: string, p: Prepared, positionals: string[], allowMassDeletion: boolean, io: CliIO, code: number): Promise<number> {
  if (code === EXIT_USAGE) {
    io.stderr(`stackctl diff: the plan has errors: not saved to ${file}\n`);
    return code;
  }
  try {
    await writeSavedPlan(file, await savedPlanOf(p, positionals.length > 0 ? positionals : ["."], allowMassDeletion, io), p, io);
  } catch (err) {
    if (!(err instanceof SavedPlanError)) throw err;
    io.stderr(`stackctl diff: ${err.message} [${err.code}]\n`);
    return EXIT_USAGE;
  }
  io.stderr(`Plan saved to ${file}; apply exactly it with: stackctl apply ${file}\n`);
  return code;
}
