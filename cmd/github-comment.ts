/**
 * The edge of `diff --github-comment`: reads the pull request, token and API URL from the flags (`--repo`, `--pr`)
 * and the standard GitHub Actions environment (`GITHUB_TOKEN`, `GITHUB_API_URL`, `GITHUB_REPOSITORY`,
 * `GITHUB_EVENT_PATH`, `GITHUB_STEP_SUMMARY`, …), then posts through controller/github/.
 */
import { appendFile, readFile } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { createGitHubClient } from "../controller/github/client.ts";
import { pullRequestOfEvent } from "../controller/github/event.ts";
import type { CommentValidationError } from "../controller/github/plan-comment.ts";
import type { PullRequestContext } from "../controller/github/pull-request.ts";
import { PlanCommentError, planSummaryMarkdown, postPlanComments, resolveHeadSha } from "../controller/github/pull-request.ts";
import { parseRepositorySlug } from "../controller/github/repository.ts";
import type { CliIO } from "./io.ts";
import { suspendedNotes } from "./prepare.ts";
import type { Prepared } from "./prepare.ts";

/** What the verb needs to comment, resolved before planning so that a usage error costs no server request. */
export interface CommentSettings {
  context: PullRequestContext;
  token: string;
  apiUrl: string;
  workspace: string;
  stepSummary: string | null;
}

/** resolveCommentSettings reads flags and environment; returns a message for the user when something is missing. */
export async function resolveCommentSettings(flags: { repo?: string; pr?: string }, io: CliIO): Promise<CommentSettings | { error: string }> {
  const env = io.env;
  const token = env.GITHUB_TOKEN;
  if (!token) return { error: "--github-comment needs GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})" };
  const slug = flags.repo ?? env.GITHUB_REPOSITORY;
  const repository = slug ? parseRepositorySlug(slug) : null;
  if (!repository) return { error: slug ? `--repo must be OWNER/NAME, got '${slug}'` : "--github-comment needs the repository: --repo OWNER/NAME, or GITHUB_REPOSITORY" };
  let event: ReturnType<typeof pullRequestOfEvent> = null;
  if (env.GITHUB_EVENT_PATH) {
    try {
      event = pullRequestOfEvent(JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")));
    } catch (err) {
      return { error: `GITHUB_EVENT_PATH ${env.GITHUB_EVENT_PATH}: ${(err as Error).message}` };
    }
  }
  const pr = flags.pr !== undefined ? Number(flags.pr) : event?.number;
  if (pr === undefined) return { error: "--github-comment needs the pull request: run on a pull_request event, or pass --pr N" };
  if (!Number.isInteger(pr) || pr < 1) return { error: `--pr must be a pull request number, got '${flags.pr}'` };
  const apiUrl = env.GITHUB_API_URL ?? "https://api.github.com";
  const serverUrl = env.GITHUB_SERVER_URL ?? (new URL(apiUrl).hostname === "api.github.com" ? "https://github.com" : new URL(apiUrl).origin);
  const runPage = env.GITHUB_RUN_ID ? `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${env.GITHUB_RUN_ID}` : null;
  return {
    context: { repository, pullRequest: pr, headSha: event && event.number === pr ? event.headSha : null, serverUrl, summaryUrl: runPage },
    token,
    apiUrl,
    workspace: env.GITHUB_WORKSPACE ?? io.cwd,
    stepSummary: env.GITHUB_STEP_SUMMARY ?? null,
  };
}

/**
 * commentOnPullRequest writes the job summary (when GITHUB_STEP_SUMMARY is set) and upserts the comments; returns
 * false after printing the error when GitHub could not be reached.
 */
export async function commentOnPullRequest(p: Prepared, s: CommentSettings, io: CliIO): Promise<boolean> {
  const client = createGitHubClient({
    apiUrl: s.apiUrl,
    token: s.token,
    retries: 2,
    maxRateLimitWaitSeconds: 60,
    onRateLimited: (i) => io.stderr(`stackctl diff: GitHub ${i.kind} rate limit on ${i.route}: ${i.retrying ? `retrying in ${i.retryAfterSeconds}s` : "giving up"}\n`),
  });
  // The token is a credential like the targets' keys: nothing posted or printed may carry it.
  p.scrub.add(s.token);
  const scrub = (text: string) => p.scrub.text(text);
  const report = { targets: p.plans, validation: validationOf(p, io.cwd, s.workspace), notes: suspendedNotes(p).split("\n").filter(Boolean) };
  try {
    // The summary first: it holds the whole plan even when GitHub cannot be reached.
    if (s.stepSummary) await appendFile(s.stepSummary, scrub(planSummaryMarkdown(report, s.context)));
    const context = { ...s.context, headSha: await resolveHeadSha(client, s.context) };
    for (const r of await postPlanComments(client, report, context, scrub)) io.stderr(`stackctl diff: plan comment ${r.action}: ${r.url}\n`);
    return true;
  } catch (err) {
    if (!(err instanceof PlanCommentError)) throw err;
    io.stderr(`stackctl diff: ${err.message} [${err.code}]\n`);
    return false;
  }
}

/** Manifest errors and the stacks' own errors (missing secrets), with files relative to the repository root. */
function validationOf(p: Prepared, cwd: string, workspace: string): CommentValidationError[] {
  const inRepo = (file: string) => {
    const rel = relative(workspace, resolve(cwd, file));
    return rel.startsWith("..") ? file : rel.split(sep).join("/");
  };
  return [
    ...p.manifestErrors.map((e) => ({ file: inRepo(e.file), line: e.line, path: e.path, message: e.message, code: e.code })),
    ...p.errors.map((e) => ({ file: e.file ? inRepo(e.file) : "", line: 0, path: e.field ?? "", message: `${e.subject}: ${e.message}`, code: e.code })),
  ];
}
