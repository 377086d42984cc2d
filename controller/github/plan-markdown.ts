/**
 * A minimal markdown rendering of a plan for pull request comments and job summaries, used until the shared
 * markdown renderer (controller/render/) is available: per stack one summary line (N to create, M to update, K to
 * delete, deploys), deletions called out first, and the changes in a collapsible block. Built only from each
 * change's printable part, whose secret values are already masked; never from operations.
 */
import { formatStackError } from "../errors.ts";
import type { Change, FieldChange, Plan, StackPlan } from "../plan/types.ts";
import { summaryLine } from "../render.ts";

/** renderPlanMarkdownFallback renders one target's plan as GitHub-flavoured markdown. */
export function renderPlanMarkdownFallback(plan: Plan): string {
  const out: string[] = [];
  const deletions = [...plan.stacks.flatMap((s) => s.changes), ...plan.cleanup].filter((c) => c.action === "delete");
  if (plan.refused) out.push("> [!CAUTION]", "> **Plan refused**: nothing will be applied.", "");
  for (const e of plan.errors) out.push(`- :x: ${inline(formatStackError(e))}`);
  if (deletions.length > 0) {
    out.push(`> [!WARNING]`, `> **${deletions.length} to delete:** ${deletions.map((c) => `\`${c.subject}\``).join(", ")}`, "");
  }
  if (plan.projects.length > 0) out.push(...block("projects", "", plan.projects));
  for (const stack of plan.stacks) out.push(...renderStack(stack));
  if (plan.cleanup.length > 0) out.push(...block("cleanup", "", plan.cleanup));
  out.push("", `**${summaryLine(plan)}**`);
  return `${out.join("\n")}\n`;
}

function renderStack(stack: StackPlan): string[] {
  const where = stack.file ? ` (\`${stack.file}\`)` : "";
  const mode = stack.mode === "teardown" ? " — manifest removed: tearing down" : stack.mode === "orphan" ? " — manifest removed: resources kept" : "";
  if (stack.errors.length > 0) return [`- :x: **stack/${stack.stack}**${where}: not applied`, ...stack.errors.map((e) => `  - ${inline(formatStackError(e))}`)];
  if (stack.changes.length === 0) return [`- **stack/${stack.stack}**${where}${mode}: no changes`];
  return block(`stack/${stack.stack}`, `${where}${mode}`, stack.changes);
}

function block(title: string, suffix: string, changes: readonly Change[]): string[] {
  const n = (action: Change["action"]) => changes.filter((c) => c.action === action).length;
  const counts = [`${n("create")} to create`, `${n("update")} to update`, `${n("delete")} to delete`, `${n("deploy")} to deploy`];
  if (n("adopt") > 0) counts.push(`${n("adopt")} to adopt`);
  const ordered = [...changes.filter((c) => c.action === "delete"), ...changes.filter((c) => c.action !== "delete")];
  const lines = ordered.flatMap(renderChange);
  // Values come from the pull request itself: a fence longer than any run of backticks in them cannot be closed early.
  const fence = "`".repeat(Math.max(3, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length)) + 1)));
  return [
    `<details><summary><b>${escapeHtml(title)}</b>${escapeHtml(suffix.replaceAll("`", ""))}: ${counts.join(", ")}</summary>`,
    "",
    `${fence}diff`,
    ...lines,
    fence,
    "</details>",
    "",
  ];
}

const SIGNS: Record<Change["action"], string> = { create: "+", update: "!", delete: "-", deploy: "#", adopt: "!" };

function renderChange(change: Change): string[] {
  return [`${SIGNS[change.action]} ${change.action} ${change.kind} ${change.subject}`, ...change.diff.map((d) => `${SIGNS[change.action]}     ${field(d)}`)];
}

function field(d: FieldChange): string {
  const show = (v: unknown) => JSON.stringify(v) ?? "null";
  if (d.before === null || d.before === undefined) return `${d.field}: ${show(d.after)}`;
  if (d.after === null || d.after === undefined) return `${d.field}: ${show(d.before)} → (removed)`;
  return `${d.field}: ${show(d.before)} → ${show(d.after)}`;
}

function inline(text: string): string {
  return text.replace(/[\\`*_<>[\]|]/g, (c) => `\\${c}`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
