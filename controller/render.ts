/**
 * Plan rendering: a readable text diff (like `terraform plan`) and a stable JSON document. Both are built from the
 * printable part of each change only — never from its operation, which may hold secret values.
 */
import type { StackError } from "./errors.ts";
import { formatStackError } from "./errors.ts";
import type { Change, ChangeAction, FieldChange, Plan, StackPlan } from "./plan/types.ts";
import { countChanges } from "./plan/types.ts";

const SIGNS: Record<ChangeAction, string> = { create: "+", update: "~", delete: "-", deploy: "»", adopt: "⇐" };
const COLOURS: Record<ChangeAction, string> = { create: "32", update: "33", delete: "31", deploy: "36", adopt: "35" };

/** Text rendering options. */
export interface TextOptions {
  colour: boolean;
}

/** renderPlanText prints a plan for people; the last line is the summary. */
export function renderPlanText(plan: Plan, options: TextOptions): string {
  const paint = (code: string, text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [`target ${plan.target} (instance ${plan.instance})`];
  for (const change of plan.projects) lines.push(...renderChange(change, paint));
  for (const stack of plan.stacks) lines.push(...renderStack(stack, paint));
  for (const change of plan.cleanup) lines.push(...renderChange(change, paint));
  for (const k of plan.kept) lines.push(`keep ${k.subject}: ${k.reason}`);
  for (const error of plan.errors) lines.push(paint("31", `error: ${formatStackError(error)}`));
  if (plan.refused) lines.push(paint("31", "plan refused: nothing will be applied"));
  lines.push(summaryLine(plan));
  return `${lines.join("\n")}\n`;
}

function renderStack(stack: StackPlan, paint: (code: string, text: string) => string): string[] {
  const where = stack.file ? ` (${stack.file})` : "";
  const mode = stack.mode === "sync" ? "" : stack.mode === "teardown" ? " — manifest removed: tearing down" : " — manifest removed: resources kept (deletion-policy orphan)";
  if (stack.errors.length > 0) {
    return [`stack/${stack.stack}${where}: not applied`, ...stack.errors.map((e) => paint("31", `  error: ${formatStackError(e)}`))];
  }
  if (stack.changes.length === 0) return [`stack/${stack.stack}${where}${mode}: no changes`];
  return [`stack/${stack.stack}${where}${mode}`, ...stack.changes.flatMap((c) => renderChange(c, paint).map((l) => `  ${l}`))];
}

function renderChange(change: Change, paint: (code: string, text: string) => string): string[] {
  const from = change.from ? ` from stack/${change.from}` : "";
  const head = paint(COLOURS[change.action], `${SIGNS[change.action]} ${change.action} ${change.kind} ${change.subject}${from}`);
  return [head, ...change.diff.map((d) => `    ${renderField(d)}`)];
}

function renderField(d: FieldChange): string {
  if (d.before === null || d.before === undefined) return `${d.field}: ${show(d.after)}`;
  if (d.after === null || d.after === undefined) return `${d.field}: ${show(d.before)} → (removed)`;
  return `${d.field}: ${show(d.before)} → ${show(d.after)}`;
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "null";
}

/** summaryLine is the one-line count of a plan's changes and failures. */
export function summaryLine(plan: Plan): string {
  const c = countChanges(plan);
  const failed = plan.stacks.filter((s) => s.errors.length > 0).length;
  const parts = [`${c.create} to create`, `${c.update} to update`, `${c.adopt} to adopt`, `${c.delete} to delete`, `${c.deploy} to deploy`];
  return `Plan: ${parts.join(", ")}${failed > 0 ? `; ${failed} stack(s) with errors` : ""}.`;
}

/** planToJson is the machine-readable plan: stable field names, sorted as the plan is, no secrets. */
export function planToJson(plan: Plan): object {
  const change = (c: Change) => ({ action: c.action, kind: c.kind, subject: c.subject, diff: c.diff, ...(c.from ? { from: `stack/${c.from}` } : {}) });
  const error = (e: StackError) => ({ code: e.code, subject: e.subject, message: e.message, file: e.file ?? null, field: e.field ?? null });
  return {
    target: plan.target,
    instance: plan.instance,
    refused: plan.refused,
    summary: countChanges(plan),
    projects: plan.projects.map(change),
    stacks: plan.stacks.map((s) => ({ stack: s.stack, file: s.file, mode: s.mode, changes: s.changes.map(change), errors: s.errors.map(error) })),
    cleanup: plan.cleanup.map(change),
    kept: plan.kept,
    errors: plan.errors.map(error),
  };
}
