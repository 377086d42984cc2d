/**
 * `stackctl get stacks` and `stackctl get stack NAME`: the controller's view of the stacks, from its HTTP API.
 * `get stacks` is a table (name, target, ready, reason, revision, last applied, age; `-o wide` adds suspension,
 * last plan and last error; `-o json` the API's items); `get stack NAME` shows conditions, the last plan, the last
 * error, the inventory, the last deployments and recent reconciles.
 */
import { ServedStatusSchema, StackEventsSchema, StackListSchema, call } from "./api-client.ts";
import type { ServedStatus } from "./api-client.ts";
import { EVENT_HEADERS, age, eventRows, planText, ready, shortRevision, suspension, table } from "./api-format.ts";
import { runApiVerb } from "./api-verb.ts";
import type { ApiVerbContext } from "./api-verb.ts";
import type { Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";

const HELP = `usage: stackctl get stacks [-o text|wide|json] [--server URL]
       stackctl get stack NAME [-o text|json] [--server URL]

Shows the stacks as the running controller sees them (its HTTP API; --server default http://127.0.0.1:8080,
or STACKCTL_SERVER). Exit codes: 0 shown, 2 usage error or controller unreachable.
`;

/** run implements the get verb. */
export const run: Verb = (args, io) =>
  runApiVerb("get", args, io, { help: HELP, outputs: ["text", "wide", "json"] }, async (ctx) => {
    const [what, name, ...rest] = ctx.positionals;
    if (what === "stacks" && name === undefined) return getStacks(ctx);
    if ((what === "stack" || what === "stacks") && name !== undefined && rest.length === 0) return getStack(ctx, name);
    ctx.io.stderr(`stackctl get: expected 'stacks' or 'stack NAME'\n\n${HELP}`);
    return EXIT_USAGE;
  });

async function getStacks(ctx: ApiVerbContext): Promise<number> {
  const { items } = await call(ctx.target, "GET", "/api/v1/stacks", StackListSchema);
  if (ctx.output === "json") return ctx.io.stdout(`${JSON.stringify(items, null, 2)}\n`), 0;
  const wide = ctx.output === "wide";
  const now = Date.now();
  const headers = ["NAME", "TARGET", "READY", "REASON", "REVISION", "LAST APPLIED", "AGE", ...(wide ? ["SUSPENDED", "LAST PLAN", "LAST ERROR"] : [])];
  const rows = items.map((s) => [
    s.name,
    s.target,
    ready(s).status,
    ready(s).reason,
    shortRevision(s.lastAttemptedRevision),
    shortRevision(s.lastAppliedRevision),
    age(s.lastReconcileAt, now),
    ...(wide ? [s.runtimeSuspended ? "api" : ready(s).reason === "Suspended" ? "manifest" : "no", planText(s.lastPlan), oneLine(s.lastError)] : []),
  ]);
  ctx.io.stdout(items.length === 0 ? "No stacks.\n" : table(headers, rows));
  return 0;
}

async function getStack(ctx: ApiVerbContext, name: string): Promise<number> {
  const status = await call(ctx.target, "GET", `/api/v1/stacks/${encodeURIComponent(name)}`, ServedStatusSchema);
  const history = await call(ctx.target, "GET", `/api/v1/stacks/${encodeURIComponent(name)}/events`, StackEventsSchema);
  if (ctx.output === "json") return ctx.io.stdout(`${JSON.stringify({ status, events: history.items, deployments: history.deployments }, null, 2)}\n`), 0;
  ctx.io.stdout(describe(status, history));
  return 0;
}

function describe(s: ServedStatus, history: { items: Parameters<typeof eventRows>[0]; deployments: { subject: string; at: string; outcome: string; message?: string | undefined }[] }): string {
  const r = ready(s);
  const now = Date.now();
  const fields: [string, string][] = [
    ["Name", s.name],
    ["Target", s.target],
    ["Ready", `${r.status} (${r.reason})${r.message ? `: ${r.message}` : ""}`],
    ["Suspended", suspension(s)],
    ["Revision", `attempted ${shortRevision(s.lastAttemptedRevision)}, applied ${shortRevision(s.lastAppliedRevision)}`],
    ["Last reconcile", s.lastReconcileAt ? `${s.lastReconcileAt} (${age(s.lastReconcileAt, now)} ago)` : "-"],
    ["Last plan", planText(s.lastPlan)],
    ["Last error", s.lastError ?? "-"],
  ];
  const width = Math.max(...fields.map(([k]) => k.length)) + 2;
  const out = fields.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`);
  out.push("", "Conditions:", indent(table(["TYPE", "STATUS", "REASON", "SINCE", "MESSAGE"], s.conditions.map((c) => [c.type, c.status, c.reason, c.lastTransitionTime, c.message]))));
  out.push("Inventory:", ...(s.inventory.length > 0 ? s.inventory.map((i) => `  ${i}`) : ["  (none)"]), "");
  out.push("Last deployments:", history.deployments.length > 0 ? indent(table(["TIME", "APPLICATION", "OUTCOME", "MESSAGE"], history.deployments.map((d) => [d.at, d.subject, d.outcome, d.message ?? ""]))) : "  (none recorded since the controller started)\n");
  out.push("Recent reconciles:", history.items.length > 0 ? indent(table(EVENT_HEADERS.filter((h) => h !== "STACK"), eventRows(history.items).map((row) => row.filter((_c, i) => i !== 1)))) : "  (none since the controller started)\n");
  return `${out.join("\n")}`;
}

function indent(text: string): string {
  return text.split("\n").map((l) => (l ? `  ${l}` : l)).join("\n");
}

function oneLine(text: string | null): string {
  if (!text) return "-";
  const line = text.replace(/\s+/g, " ");
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
