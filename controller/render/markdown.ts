/**
 * The plan as GitHub-flavoured markdown, for pull-request comments and job summaries: the totals and the
 * deletions first, then one collapsible section per stack with a `diff` block (green additions, red deletions),
 * capped to a length the destination accepts. The GitHub integration calls renderPlanMarkdown; nothing here
 * talks to GitHub.
 */
import type { TargetPlan } from "../engine.ts";
import type { StackError } from "../errors.ts";
import { formatStackError } from "../errors.ts";
import type { Change, Plan, StackPlan } from "../plan/types.ts";
import { changeHead, changeLines, countsPhrase, deletionsOf, keptLines, planCounts, stackTitle, summaryLine } from "./document.ts";
import { formatFieldLine } from "./values.ts";

/** One target's plan, or why it could not be planned (as `planTargets` returns them). */
export type MarkdownTarget = Plan | TargetPlan;

/** Options of renderPlanMarkdown. */
export interface MarkdownOptions {
  /**
   * The longest output, in characters (default 60,000: a GitHub comment holds 65,536). Stack sections that do
   * not fit are left out and counted in a closing note; the totals and the deletions are always shown.
   */
  maxLength?: number;
  /** The heading (default `stackctl plan`). */
  title?: string;
  /** Where the full plan can be read when sections were left out (default: run `stackctl diff`). */
  fullPlanHint?: string;
  /** Problems found before planning (invalid manifests, missing secrets), one line each, shown with the errors. */
  problems?: readonly string[];
}

/** Deletions listed by name at most; the rest are counted. */
const MAX_LISTED_DELETIONS = 50;

/**
 * renderPlanMarkdown renders the plans of one or more targets as one markdown document of at most
 * `options.maxLength` characters. Secret values never appear: only the plans' masked field diffs are printed.
 */
export function renderPlanMarkdown(targets: readonly MarkdownTarget[], options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? 60_000;
  const plans = targets.map(planOf).filter((p): p is Plan => p !== undefined);
  const failures = targets.map(failureOf).filter((e): e is StackError => e !== undefined);
  const head = [`## ${options.title ?? "stackctl plan"}`, "", `**Plan: ${countsPhrase(planCounts(plans), "planned")}.**`, ""];
  head.push(...deletionsBlock(plans), ...errorsBlock(plans, failures, options.problems ?? []));
  const sections = plans.flatMap((p) => targetSections(p, plans.length > 1));
  return fit(head.join("\n"), sections, maxLength, options.fullPlanHint ?? "run `stackctl diff` for the full plan");
}

function planOf(t: MarkdownTarget): Plan | undefined {
  if ("stacks" in t) return t;
  return t.plan;
}

function failureOf(t: MarkdownTarget): StackError | undefined {
  return "stacks" in t ? undefined : t.error;
}

function deletionsBlock(plans: readonly Plan[]): string[] {
  const deletions = plans.flatMap((p) => deletionsOf(p).map((c) => ({ change: c, target: p.target })));
  if (deletions.length === 0) return [];
  const listed = deletions.slice(0, MAX_LISTED_DELETIONS).map(({ change, target }) => `> - 🗑️ ${code(change.subject)} (${change.kind}${plans.length > 1 ? `, target ${code(target)}` : ""})`);
  const more = deletions.length > MAX_LISTED_DELETIONS ? [`> - … and ${deletions.length - MAX_LISTED_DELETIONS} more`] : [];
  return ["> [!CAUTION]", `> **${deletions.length} to delete:**`, ...listed, ...more, ""];
}

function errorsBlock(plans: readonly Plan[], failures: readonly StackError[], problems: readonly string[]): string[] {
  const errors = [...failures, ...plans.flatMap((p) => [...p.errors, ...p.stacks.flatMap((s) => s.errors)])];
  const refused = plans.filter((p) => p.refused).map((p) => `> - plan for target ${code(p.target)} refused: nothing will be applied`);
  if (errors.length === 0 && refused.length === 0 && problems.length === 0) return [];
  const lines = [...problems, ...errors.map(formatStackError)].map((l) => `> - ${escapeText(l)}`);
  return ["> [!WARNING]", ...refused, ...lines, ""];
}

/** A target's sections: its heading, then one per stack with changes, and one line for the unchanged ones. */
function targetSections(plan: Plan, several: boolean): Section[] {
  const sections: Section[] = [];
  const heading = several ? [`### Target ${code(plan.target)}`, "", summaryLine(plan), ""].join("\n") : "";
  const projectChanges = [...plan.projects, ...plan.cleanup];
  if (projectChanges.length > 0) sections.push({ text: details(`projects of target <code>${escapeHtml(plan.target)}</code>`, projectChanges), counts: true });
  for (const stack of plan.stacks) if (stack.changes.length > 0) sections.push({ text: stackSection(stack), counts: true });
  const unchanged = plan.stacks.filter((s) => s.changes.length === 0 && s.errors.length === 0).map((s) => s.stack);
  if (unchanged.length > 0) sections.push({ text: `No changes in ${unchanged.length} stack(s).\n`, counts: false });
  for (const line of keptLines(plan)) sections.push({ text: `${escapeText(line)}\n`, counts: false });
  if (heading && sections.length > 0) sections[0] = { ...sections[0]!, text: `${heading}\n${sections[0]!.text}` };
  return sections;
}

interface Section {
  text: string;
  /** Counted in the "not shown" note when left out. */
  counts: boolean;
}

function stackSection(stack: StackPlan): string {
  const rest = stackTitle(stack).slice(`stack/${stack.stack}`.length);
  return details(`<code>${escapeHtml(`stack/${stack.stack}`)}</code>${escapeHtml(rest)} — ${stackCounts(stack)}`, stack.changes);
}

/** A stack's summary line: what it will create, update, delete and deploy (the actions it has), deletions first. */
function stackCounts(stack: StackPlan): string {
  const counts = planCounts([{ target: "", instance: "", projects: [], stacks: [stack], cleanup: [], kept: [], errors: [], refused: false }]);
  return countsPhrase(counts, "planned").split(", ").filter((part) => !part.startsWith("0 ")).join(", ");
}

function details(summary: string, changes: readonly Change[]): string {
  const body = changes.flatMap((c) => [changeHead(c), ...changeLines(c).map((l) => `${l.sign}     ${formatFieldLine(l)}`)]);
  const fence = "`".repeat(Math.max(3, longestBacktickRun(body.join("\n")) + 1));
  return [`<details><summary>${summary}</summary>`, "", `${fence}diff`, ...body, fence, "", "</details>", ""].join("\n");
}

/** fit appends sections while they fit in `max`, then a note of what was left out; never longer than `max`. */
function fit(head: string, sections: readonly Section[], max: number, hint: string): string {
  const reserve = noteFor(sections.length, max, hint).length;
  let out = `${head}\n`;
  let shown = 0;
  for (const section of sections) {
    const last = shown === sections.length - 1;
    if (out.length + section.text.length + 1 + (last ? 0 : reserve) > max) break;
    out += `${section.text}\n`;
    shown += 1;
  }
  if (shown < sections.length) out += noteFor(sections.slice(shown).filter((s) => s.counts).length, max, hint);
  return out.length <= max ? out : `${out.slice(0, Math.max(0, max - 2))}…\n`;
}

function noteFor(hidden: number, max: number, hint: string): string {
  return `_… ${hidden} more section(s) not shown: this summary is capped at ${max} characters; ${hint}._\n`;
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

/** code wraps text in an inline code span that its own backticks cannot close. */
function code(text: string): string {
  const fence = "`".repeat(longestBacktickRun(text) + 1);
  return `${fence}${text.startsWith("`") || text.endsWith("`") ? ` ${text} ` : text}${fence}`;
}

/** escapeHtml makes text safe inside the HTML of a `<summary>` (where markdown is not interpreted). */
function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** escapeText keeps markdown and HTML from interpreting a message. */
function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`);
}
