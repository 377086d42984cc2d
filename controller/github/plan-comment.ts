/**
 * The body of a pull request's plan comment for one target: the hidden marker, validation errors first (file and
 * line, linked to the file at the head commit), then the target's plan, or why the target could not be reached.
 * A body over GitHub's comment limit is cut at a line, open code blocks and collapsible blocks are closed, and a note
 * points at the job summary, which holds the whole plan.
 */
import type { GitHubRepository } from "./repository.ts";

/** GitHub rejects comment bodies longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A validation error, with `file` relative to the repository root. */
export interface CommentValidationError {
  file: string;
  line: number;
  path: string;
  message: string;
  code: string;
}

/** What one target's comment shows. */
export interface PlanCommentInput {
  marker: string;
  target: string;
  repository: GitHubRepository;
  /** `https://github.com`, or the GitHub Enterprise server; for links to files. */
  serverUrl: string;
  headSha: string | null;
  validation: readonly CommentValidationError[];
  /** Renders the plan as markdown in at most `maxLength` characters; or the reason the target could not be read. */
  outcome: { renderPlan: (maxLength: number, fullPlanHint: string) => string } | { unreachable: string };
  /** Notes shown after the validation result (suspended stacks). */
  notes?: readonly string[];
  /** The run page whose job summary holds the whole plan, when known. */
  summaryUrl: string | null;
  /** Default GITHUB_COMMENT_LIMIT; tests may lower it. */
  limit?: number;
  /** Applied to the whole body before it is cut (the process's scrubber). */
  scrub?: (text: string) => string;
}

/** Room kept for the scrubber's replacements, which may be longer than what they replace. */
const SCRUB_MARGIN = 2_000;

/** buildPlanComment renders the comment body, never longer than the limit. */
export function buildPlanComment(input: PlanCommentInput): string {
  const limit = input.limit ?? GITHUB_COMMENT_LIMIT;
  // The plan gets what the marker, validation and footer leave; the summary link says where the rest is.
  const fixed = [input.marker, ...planSection({ ...input, outcome: { renderPlan: () => "" } })].join("\n").length;
  const body = (input.scrub ?? ((t: string) => t))([input.marker, ...planSection(input, Math.max(1_000, limit - fixed - SCRUB_MARGIN))].join("\n"));
  return fitToLimit(body, limit, truncationNote(input.summaryUrl));
}

/** The job summary's own limit (1 MiB per step): the whole plan of any realistic repository fits. */
export const STEP_SUMMARY_LIMIT = 1_000_000;

/** planSection is the comment without its marker (also what the job summary shows), the plan in `planBudget`. */
export function planSection(input: Omit<PlanCommentInput, "marker" | "limit" | "scrub">, planBudget = STEP_SUMMARY_LIMIT): string[] {
  const out = [`## stackctl plan for target \`${input.target}\``, ""];
  out.push(...validationSection(input), "");
  for (const note of input.notes ?? []) out.push(`> ${note}`);
  if ((input.notes ?? []).length > 0) out.push("");
  if ("unreachable" in input.outcome) {
    out.push(
      "> [!WARNING]",
      `> **Target \`${input.target}\` could not be reached from CI**, so no plan is shown: ${escapeInline(input.outcome.unreachable)}`,
      "> The validation result above still holds.",
    );
  } else out.push(input.outcome.renderPlan(planBudget, summaryHint(input.summaryUrl)).trimEnd());
  if (input.headSha) out.push("", `<sub>for commit ${input.headSha.slice(0, 7)} · this comment is updated in place on every push</sub>`);
  return out;
}

function validationSection(input: Omit<PlanCommentInput, "marker" | "limit" | "scrub">): string[] {
  if (input.validation.length === 0) return ["**Validation:** :white_check_mark: every manifest is valid."];
  const n = input.validation.length;
  const lines = [`**Validation:** :x: ${n} error${n === 1 ? "" : "s"} — the stacks concerned are left out of the plan and never torn down.`, ""];
  for (const e of input.validation) {
    const where = e.line > 0 ? `${e.file}:${e.line}` : e.file;
    const link = input.headSha && e.file ? fileLink(input, e) : null;
    const label = where ? `\`${where.replaceAll("`", "")}\`` : "";
    const located = link ? `[${label}](${link}): ` : label ? `${label}: ` : "";
    lines.push(`- ${located}${e.path ? `\`${e.path.replaceAll("`", "")}\`: ` : ""}${escapeInline(e.message)} \`${e.code}\``);
  }
  return lines;
}

function fileLink(input: Omit<PlanCommentInput, "marker" | "limit" | "scrub">, e: CommentValidationError): string {
  const path = e.file.split("/").map(encodeURIComponent).join("/");
  const { owner, repo } = input.repository;
  return `${input.serverUrl.replace(/\/+$/, "")}/${owner}/${repo}/blob/${input.headSha}/${path}${e.line > 0 ? `#L${e.line}` : ""}`;
}

function summaryHint(summaryUrl: string | null): string {
  return `the whole plan is in ${summaryUrl ? `the [job summary](${summaryUrl})` : "the job summary of this workflow run"}`;
}

function truncationNote(summaryUrl: string | null): string {
  const where = summaryUrl ? `the [job summary](${summaryUrl})` : "the job summary of this workflow run";
  return `> [!NOTE]\n> **The plan is cut here**: it is longer than GitHub's comment limit of ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")} characters. The whole plan is in ${where}.`;
}

/**
 * fitToLimit returns `body` when it fits; otherwise the longest prefix of whole lines that fits with the closing
 * of the code fence and `<details>` blocks left open, and `note`.
 */
export function fitToLimit(body: string, limit: number, note: string): string {
  if (body.length <= limit) return body;
  const lines = body.split("\n");
  const kept: string[] = [];
  let size = 0;
  let fence: string | null = null;
  let openDetails = 0;
  for (const line of lines) {
    const nextFence = fenceAfter(fence, line);
    const nextDetails = openDetails + count(line, "<details") - count(line, "</details>");
    const closing = closingOf(nextFence, nextDetails);
    if (size + line.length + 1 + closing.length + note.length + 2 > limit) break;
    kept.push(line);
    size += line.length + 1;
    fence = nextFence;
    openDetails = nextDetails;
  }
  return `${kept.join("\n")}\n${closingOf(fence, openDetails)}\n${note}`;
}

function fenceAfter(fence: string | null, line: string): string | null {
  const m = /^(`{3,})/.exec(line);
  if (!m) return fence;
  if (fence === null) return m[1]!;
  return m[1]!.length >= fence.length && line.trim() === m[1] ? null : fence;
}

function closingOf(fence: string | null, openDetails: number): string {
  return [...(fence ? [fence] : []), ...Array.from({ length: Math.max(0, openDetails) }, () => "</details>")].join("\n");
}

function count(line: string, tag: string): number {
  return line.split(tag).length - 1;
}

function escapeInline(text: string): string {
  return text.replace(/[\\`*_<>[\]|]/g, (c) => `\\${c}`).replace(/\n/g, " ");
}
