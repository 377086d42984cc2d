/**
 * `stackctl reconcile NAME` / `stackctl reconcile --all`: asks the running controller to reconcile now (like
 * `flux reconcile`), and with `--wait` waits for the result: exit 0 when it succeeded (or was skipped: suspended,
 * waiting for a dependency), 1 when it failed or stalled, 2 on usage errors, an unreachable controller or a timeout.
 */
import { z } from "zod";
import { durationToMs } from "../controller/units.ts";
import { StackEventsSchema, call } from "./api-client.ts";
import type { StackEventBody } from "./api-client.ts";
import { runApiVerb } from "./api-verb.ts";
import type { ApiVerbContext } from "./api-verb.ts";
import type { Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";

const HELP = `usage: stackctl reconcile NAME|--all [--wait] [--timeout 5m] [--server URL] [--token TOKEN]

Queues a reconcile of stack NAME (or of every stack) on the running controller now. With --wait, waits for it
and prints the result. Needs the controller's API token (controller.api.token): --token or STACKCTL_API_TOKEN.
Exit codes: 0 queued (or succeeded), 1 it failed, 2 usage error, controller unreachable or timeout.
`;

const Queued = z.object({ requestedAt: z.string(), stacks: z.array(z.string()).optional() });

/** run implements the reconcile verb. */
export const run: Verb = (args, io) =>
  runApiVerb("reconcile", args, io, { help: HELP, outputs: ["text"], extra: { all: { type: "boolean", default: false }, wait: { type: "boolean", default: false }, timeout: { type: "string", default: "5m" } } }, async (ctx) => {
    const all = ctx.values.all === true;
    if (all === (ctx.positionals.length === 1) || ctx.positionals.length > 1) {
      ctx.io.stderr(`stackctl reconcile: give one stack NAME or --all\n\n${HELP}`);
      return EXIT_USAGE;
    }
    let timeoutMs: number;
    try {
      timeoutMs = durationToMs(String(ctx.values.timeout));
    } catch {
      ctx.io.stderr("stackctl reconcile: --timeout expects a duration such as 30s or 5m\n");
      return EXIT_USAGE;
    }
    const name = ctx.positionals[0];
    const path = all ? "/api/v1/reconcile" : `/api/v1/stacks/${encodeURIComponent(name!)}/reconcile`;
    const { requestedAt, stacks } = await call(ctx.target, "POST", path, Queued);
    const names = all ? (stacks ?? []) : [name!];
    if (ctx.values.wait !== true) {
      ctx.io.stdout(all ? `reconcile of ${names.length} stack(s) queued\n` : `stack/${name}: reconcile queued\n`);
      return 0;
    }
    return waitForAll(ctx, names, requestedAt, timeoutMs);
  });

async function waitForAll(ctx: ApiVerbContext, names: string[], requestedAt: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(names);
  let failed = 0;
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const event = await resultOf(ctx, name, requestedAt);
      if (!event) continue;
      pending.delete(name);
      if (event.outcome === "failed" || event.outcome === "stalled") failed += 1;
      ctx.io.stdout(`stack/${name}: ${event.outcome} (${event.reason}) in ${(event.durationMs / 1000).toFixed(1)}s${event.message ? `: ${event.message}` : ""}\n`);
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline || ctx.io.signal.aborted) {
      ctx.io.stderr(`stackctl reconcile: still waiting for ${[...pending].map((n) => `stack/${n}`).join(", ")} after ${ctx.values.timeout}: the reconciles stay queued [reconcile.timeout]\n`);
      return EXIT_USAGE;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return failed > 0 ? 1 : 0;
}

/** The first reconcile of `name` that started at or after `requestedAt`, once it finished. */
async function resultOf(ctx: ApiVerbContext, name: string, requestedAt: string): Promise<StackEventBody | undefined> {
  const { items } = await call(ctx.target, "GET", `/api/v1/stacks/${encodeURIComponent(name)}/events`, StackEventsSchema);
  return items.filter((e) => e.startedAt >= requestedAt).at(-1);
}
