/**
 * What every plan format shows, computed once: the order of sections, the deletions listed first, each change's
 * head and field lines, and the counts. Text and markdown differ only in how they print these pieces. Built from
 * the printable part of each change only — never from its operation, which may hold secret values.
 */
import type { Change, ChangeAction, Plan, StackPlan } from "../plan/types.ts";
import { countChanges } from "../plan/types.ts";
import type { FieldLine } from "./values.ts";
import { fieldLines } from "./values.ts";

/** The actions in the order summaries list them: deletions first, because they are what cannot be undone. */
export const ACTION_ORDER: readonly ChangeAction[] = ["delete", "create", "update", "adopt", "deploy"];

/** The sign printed before a change of each action. */
export const SIGNS: Record<ChangeAction, string> = { create: "+", update: "~", delete: "-", deploy: "»", adopt: "⇐" };

/** changeHead is a change's one-line title, e.g. `~ update application stack/shop app/web` (`… from stack/docs` for a hand-over). */
export function changeHead(change: Change): string {
  const from = change.from ? ` from stack/${change.from}` : "";
  return `${SIGNS[change.action]} ${change.action} ${change.kind} ${change.subject}${from}`;
}

/** keptLines say which containers the plan keeps and why: `keep project/blog: holds 1 compose service not managed by stackctl`. */
export function keptLines(plan: Plan): string[] {
  return plan.kept.map((k) => `keep ${k.subject}: ${k.reason}`);
}

/** changeLines are the field diff lines of a change, in the order its fields were planned. */
export function changeLines(change: Change): FieldLine[] {
  return change.diff.flatMap(fieldLines);
}

/** deletionsOf lists every deletion of a plan in execution order: the summary shows them before anything else. */
export function deletionsOf(plan: Plan): Change[] {
  return [...plan.projects, ...plan.stacks.flatMap((s) => s.changes), ...plan.cleanup].filter((c) => c.action === "delete");
}

/** stackTitle is a stack's heading: `stack/shop (stacks/shop.yaml)` and, when its manifest is gone, what happens. */
export function stackTitle(stack: StackPlan): string {
  const where = stack.file ? ` (${stack.file})` : "";
  return `stack/${stack.stack}${where}${modeNote(stack)}`;
}

function modeNote(stack: StackPlan): string {
  if (stack.mode === "teardown") return " — manifest removed: tearing down";
  if (stack.mode === "orphan") return " — manifest removed: resources kept (deletion-policy orphan)";
  return "";
}

/** planCounts are the plan's changes by action, as `apply` counts what it did (see ApplyResult.counts). */
export function planCounts(plans: readonly Plan[]): Record<ChangeAction, number> {
  const total: Record<ChangeAction, number> = { create: 0, update: 0, delete: 0, deploy: 0, adopt: 0 };
  for (const plan of plans) {
    const counts = countChanges(plan);
    for (const action of ACTION_ORDER) total[action] += counts[action];
  }
  return total;
}

/** countsPhrase prints counts in ACTION_ORDER with a verb form per action, e.g. `1 to delete, 2 to create…`. */
export function countsPhrase(counts: Record<ChangeAction, number>, form: "planned" | "done"): string {
  const words: Record<ChangeAction, string> = form === "planned"
    ? { delete: "to delete", create: "to create", update: "to update", adopt: "to adopt", deploy: "to deploy" }
    : { delete: "deleted", create: "created", update: "updated", adopt: "adopted", deploy: "deployed" };
  return ACTION_ORDER.map((a) => `${counts[a]} ${words[a]}`).join(", ");
}

/** summaryLine is the one-line count of a plan's changes and failures, deletions first. */
export function summaryLine(plan: Plan): string {
  const failed = plan.stacks.filter((s) => s.errors.length > 0).length;
  return `Plan: ${countsPhrase(countChanges(plan), "planned")}${failed > 0 ? `; ${failed} stack(s) with errors` : ""}.`;
}
