/**
 * `diff --github-comment`: one plan comment per target on a pull request, updated in place, and the whole plan in
 * the job summary. The caller (cmd/) gives everything it read from flags and environment; this module reads no
 * environment and writes no file itself.
 */
import { formatStackError } from "../errors.ts";
import type { TargetPlan } from "../engine.ts";
import type { GitHubClient } from "./client.ts";
import { describeGitHubError } from "./client.ts";
import { planCommentMarker, upsertComment } from "./comment.ts";
import type { CommentResult } from "./comment.ts";
import type { CommentValidationError } from "./plan-comment.ts";
import { buildPlanComment, planSection } from "./plan-comment.ts";
import { renderPlanMarkdown } from "../render/index.ts";
import type { GitHubRepository } from "./repository.ts";

/** The pull request and the run's surroundings. */
export interface PullRequestContext {
  repository: GitHubRepository;
  pullRequest: number;
  headSha: string | null;
  serverUrl: string;
  /** The run page whose job summary holds the whole plan (GitHub Actions), or null. */
  summaryUrl: string | null;
}

/** The plans to show and the validation result. */
export interface PlanReport {
  targets: readonly TargetPlan[];
  validation: readonly CommentValidationError[];
  notes: readonly string[];
}

/** The markdown for the job summary: every target's whole plan. */
export function planSummaryMarkdown(report: PlanReport, ctx: PullRequestContext): string {
  return `${report.targets.map((t) => planSection(sectionInput(t, report, ctx)).join("\n")).join("\n\n---\n\n")}\n`;
}

/** A comment that could not be posted: the message names the pull request and carries a stable code. */
export class PlanCommentError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "PlanCommentError";
    this.code = code;
  }
}

/** resolveHeadSha returns the context's head commit, asking GitHub for it when the event did not give it. */
export async function resolveHeadSha(client: GitHubClient, ctx: PullRequestContext): Promise<string> {
  if (ctx.headSha) return ctx.headSha;
  try {
    const { data } = await client.rest.pulls.get({ owner: ctx.repository.owner, repo: ctx.repository.repo, pull_number: ctx.pullRequest });
    return data.head.sha;
  } catch (err) {
    throw failure(err, ctx);
  }
}

/**
 * postPlanComments upserts one comment per target, in order; rejects with PlanCommentError on the first failure.
 * Every body passes through `scrub` (the process's scrubber) before it is cut to GitHub's limit and sent.
 */
export async function postPlanComments(client: GitHubClient, report: PlanReport, ctx: PullRequestContext, scrub: (text: string) => string): Promise<CommentResult[]> {
  const results: CommentResult[] = [];
  for (const t of report.targets) {
    const marker = planCommentMarker(t.target);
    const body = buildPlanComment({ marker, ...sectionInput(t, report, ctx), scrub });
    try {
      results.push(await upsertComment(client, { repository: ctx.repository, pullRequest: ctx.pullRequest, marker, body }));
    } catch (err) {
      throw failure(err, ctx);
    }
  }
  return results;
}

function sectionInput(t: TargetPlan, report: PlanReport, ctx: PullRequestContext) {
  return {
    target: t.target,
    repository: ctx.repository,
    serverUrl: ctx.serverUrl,
    headSha: ctx.headSha,
    validation: report.validation,
    notes: report.notes,
    summaryUrl: ctx.summaryUrl,
    outcome: t.error
      ? { unreachable: formatStackError(t.error) }
      : { renderPlan: (maxLength: number, fullPlanHint: string) => renderPlanMarkdown([t.plan], { title: "Changes", maxLength, fullPlanHint }) },
  };
}

function failure(err: unknown, ctx: PullRequestContext): PlanCommentError {
  const f = describeGitHubError(err);
  const where = `${ctx.repository.owner}/${ctx.repository.repo}#${ctx.pullRequest}`;
  const wait = f.retryAfterSeconds ? ` (GitHub asks to wait ${f.retryAfterSeconds}s)` : "";
  return new PlanCommentError(f.code, `github/${where}: could not post the plan comment: ${f.message}${wait}`);
}
