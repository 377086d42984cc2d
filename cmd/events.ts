/**
 * `stackctl events [NAME]`: the recent reconciles the running controller kept (per stack, bounded), newest first,
 * with their outcome, reason, duration and plan. `-o json` prints the API's items.
 */
import { StackEventsSchema, call } from "./api-client.ts";
import { EVENT_HEADERS, eventRows, table } from "./api-format.ts";
import { runApiVerb } from "./api-verb.ts";
import type { Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";

const HELP = `usage: stackctl events [NAME] [-o text|json] [--server URL]

Shows the recent reconciles of every stack (or of stack NAME) kept by the running controller.
`;

/** run implements the events verb. */
export const run: Verb = (args, io) =>
  runApiVerb("events", args, io, { help: HELP, outputs: ["text", "json"] }, async (ctx) => {
    if (ctx.positionals.length > 1) {
      ctx.io.stderr(`stackctl events: at most one stack NAME\n\n${HELP}`);
      return EXIT_USAGE;
    }
    const name = ctx.positionals[0];
    const path = name === undefined ? "/api/v1/events" : `/api/v1/stacks/${encodeURIComponent(name)}/events`;
    const { items } = await call(ctx.target, "GET", path, StackEventsSchema);
    if (ctx.output === "json") return ctx.io.stdout(`${JSON.stringify(items, null, 2)}\n`), 0;
    ctx.io.stdout(items.length === 0 ? "No events yet.\n" : table(EVENT_HEADERS, eventRows(items)));
    return 0;
  });
