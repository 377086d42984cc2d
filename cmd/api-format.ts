/**
 * How the controller verbs print: aligned tables, short revisions, ages (`5m`, `2h`), plan counts, one-line
 * conditions. Pure functions of the API's answers and the clock.
 */
import { countsPhrase } from "../controller/render/index.ts";
import type { ServedStatus, StackEventBody } from "./api-client.ts";

/** table aligns rows under headers, two spaces apart, like kubectl. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return `${[headers, ...rows].map(line).join("\n")}\n`;
}

/** shortRevision is a commit SHA's first 12 characters, a directory digest's first 19 (`sha256:` and 12). */
export function shortRevision(revision: string | null): string {
  if (!revision) return "-";
  return revision.startsWith("sha256:") ? revision.slice(0, 19) : revision.slice(0, 12);
}

/** age prints the time since `iso` as kubectl does: `42s`, `5m`, `3h`, `2d`; `-` when unknown. */
export function age(iso: string | null, now: number): string {
  if (!iso) return "-";
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** ready is the Ready condition's status and reason, `Unknown` before the first reconcile. */
export function ready(s: ServedStatus): { status: string; reason: string; message: string } {
  const c = s.conditions.find((x) => x.type === "Ready");
  return { status: c?.status ?? "Unknown", reason: c?.reason ?? "-", message: c?.message ?? "" };
}

/** suspension says whether and how a stack is paused. */
export function suspension(s: ServedStatus): string {
  if (s.runtimeSuspended) return `through the API since ${s.runtimeSuspended.since}`;
  const r = ready(s);
  return r.reason === "Suspended" ? r.message : "no";
}

/** planText prints a plan summary, `-` when there is none. */
export function planText(plan: ServedStatus["lastPlan"]): string {
  return plan ? countsPhrase(plan, "planned") : "-";
}

/** eventRows are the columns of `events`: time, stack, outcome, reason, duration, plan, message. */
export function eventRows(events: readonly StackEventBody[]): string[][] {
  return events.map((e) => [e.at, `stack/${e.stack}`, e.outcome, e.reason, `${(e.durationMs / 1000).toFixed(1)}s`, e.plan ? planText(e.plan) : "-", e.message]);
}

/** EVENT_HEADERS are the headers of eventRows. */
export const EVENT_HEADERS = ["TIME", "STACK", "OUTCOME", "REASON", "DURATION", "PLAN", "MESSAGE"];
