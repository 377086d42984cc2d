/**
 * The plan for a terminal or a CI log, like `terraform plan`: deletions listed first, then every change under its
 * stack with readable field diffs, then the one-line summary. Colour only when the caller says so (a TTY, no
 * NO_COLOR): the words and signs carry the meaning without it.
 */
import { formatStackError } from "../errors.ts";
import type { Change, ChangeAction, Plan, StackPlan } from "../plan/types.ts";
import { changeHead, changeLines, deletionsOf, keptLines, stackTitle, summaryLine } from "./document.ts";
import type { FieldLine } from "./values.ts";
import { formatFieldLine } from "./values.ts";

/** Text rendering options. */
export interface TextOptions {
  /** ANSI colours; the caller decides (TTY and no NO_COLOR). */
  colour: boolean;
}

const COLOURS: Record<ChangeAction, string> = { create: "32", update: "33", delete: "31", deploy: "36", adopt: "35" };
const LINE_COLOURS: Record<FieldLine["sign"], string> = { "+": "32", "-": "31", "~": "33" };

type Paint = (code: string, text: string) => string;

/** renderPlanText prints a plan for people; the last line is the summary (`Plan: 1 to delete, 2 to create, …`). */
export function renderPlanText(plan: Plan, options: TextOptions): string {
  const paint: Paint = options.colour ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
  const lines: string[] = [`target ${plan.target} (instance ${plan.instance})`];
  lines.push(...deletionBlock(plan, paint));
  for (const change of plan.projects) lines.push(...renderChange(change, paint, ""));
  for (const stack of plan.stacks) lines.push(...renderStack(stack, paint));
  for (const change of plan.cleanup) lines.push(...renderChange(change, paint, ""));
  lines.push(...keptLines(plan));
  for (const error of plan.errors) lines.push(paint("31", `error: ${formatStackError(error)}`));
  if (plan.refused) lines.push(paint("31", "plan refused: nothing will be applied"));
  lines.push(summaryLine(plan));
  return `${lines.join("\n")}\n`;
}

/** The deletions, before anything else, so that nobody scrolls past one. */
function deletionBlock(plan: Plan, paint: Paint): string[] {
  const deletions = deletionsOf(plan);
  if (deletions.length === 0) return [];
  const title = paint("1;31", `! ${deletions.length} to delete:`);
  return [title, ...deletions.map((c) => paint("31", `    - ${c.kind} ${c.subject}`))];
}

function renderStack(stack: StackPlan, paint: Paint): string[] {
  const title = stackTitle(stack);
  if (stack.errors.length > 0) return [`${title}: not applied`, ...stack.errors.map((e) => paint("31", `  error: ${formatStackError(e)}`))];
  if (stack.changes.length === 0) return [`${title}: no changes`];
  return [title, ...stack.changes.flatMap((c) => renderChange(c, paint, "  "))];
}

function renderChange(change: Change, paint: Paint, indent: string): string[] {
  const head = paint(COLOURS[change.action], `${indent}${changeHead(change)}`);
  const fields = changeLines(change).map((l) => `${indent}    ${paint(LINE_COLOURS[l.sign], l.sign)} ${formatFieldLine(l)}`);
  return [head, ...fields];
}
