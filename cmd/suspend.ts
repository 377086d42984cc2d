/**
 * `stackctl suspend NAME` and `stackctl resume NAME`: pause a stack on the running controller, or lift the pause
 * (like `flux suspend`/`resume`). The pause is kept in the controller's state and shown in its status; a stack its
 * manifest suspends (`spec.suspend: true`) stays suspended whatever is resumed here.
 */
import { z } from "zod";
import { call } from "./api-client.ts";
import { runApiVerb } from "./api-verb.ts";
import type { Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";

const help = (verb: string) => `usage: stackctl ${verb} NAME [--server URL] [--token TOKEN]

${verb === "suspend" ? "Pauses stack NAME on the running controller: it is neither reconciled nor torn down until resumed." : "Lifts a pause made by 'stackctl suspend'; a manifest's spec.suspend still applies."}
Needs the controller's API token (controller.api.token): --token or STACKCTL_API_TOKEN.
Exit codes: 0 done, 2 usage error, controller unreachable, or token refused.
`;

const Answer = z.object({ subject: z.string(), since: z.string().optional(), resumed: z.boolean().optional(), specSuspended: z.boolean() });

function verb(name: "suspend" | "resume"): Verb {
  return (args, io) =>
    runApiVerb(name, args, io, { help: help(name), outputs: ["text"] }, async (ctx) => {
      if (ctx.positionals.length !== 1) {
        ctx.io.stderr(`stackctl ${name}: give one stack NAME\n\n${help(name)}`);
        return EXIT_USAGE;
      }
      const stack = ctx.positionals[0]!;
      const a = await call(ctx.target, "POST", `/api/v1/stacks/${encodeURIComponent(stack)}/${name}`, Answer);
      if (name === "suspend") ctx.io.stdout(`${a.subject}: suspended (since ${a.since})\n`);
      else ctx.io.stdout(`${a.subject}: ${a.resumed ? "resumed; a reconcile is queued" : "was not suspended through the API"}\n`);
      if (a.specSuspended) ctx.io.stdout(`note: ${a.subject} is also suspended by its manifest (spec.suspend: true), which still applies\n`);
      return 0;
    });
}

/** run implements the suspend verb. */
export const run = verb("suspend");
/** resume implements the resume verb. */
export const resume = verb("resume");
