/**
 * What the controller verbs share: parse their options with API_OPTIONS, build the target, scrub the token from
 * the output, and turn an ApiCallError into a message and exit code 2 (1 is kept for "it ran and failed").
 */
import { parseArgs } from "node:util";
import type { ApiTarget } from "./api-client.ts";
import { API_OPTIONS, ApiCallError, apiTarget, scrubbedFor } from "./api-client.ts";
import type { CliIO } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";

/** What a controller verb gets once its options are parsed. */
export interface ApiVerbContext {
  target: ApiTarget;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  /** `-o` / `--output`, default `text`. */
  output: string;
  io: CliIO;
}

/**
 * runApiVerb parses `args` with API_OPTIONS plus `extra`, prints `help` on --help, checks `-o` against `outputs`,
 * and runs `body`; API failures print `stackctl VERB: message [code]` and exit 2.
 */
export async function runApiVerb(
  verb: string,
  args: string[],
  io: CliIO,
  spec: { help: string; outputs: readonly string[]; extra?: Record<string, { type: "string" | "boolean"; default?: string | boolean }> },
  body: (ctx: ApiVerbContext) => Promise<number>,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { ...API_OPTIONS, ...spec.extra } });
  } catch (err) {
    io.stderr(`stackctl ${verb}: ${(err as Error).message}\n\n${spec.help}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) return io.stdout(spec.help), 0;
  const output = String(parsed.values.output ?? "text");
  if (!spec.outputs.includes(output)) {
    io.stderr(`stackctl ${verb}: -o must be one of ${spec.outputs.join(", ")}\n`);
    return EXIT_USAGE;
  }
  const target = apiTarget(parsed.values as { server?: string; token?: string }, io.env);
  const out = scrubbedFor(io, target);
  try {
    return await body({ target, positionals: parsed.positionals, values: parsed.values as ApiVerbContext["values"], output, io: out });
  } catch (err) {
    if (!(err instanceof ApiCallError)) throw err;
    out.stderr(`stackctl ${verb}: ${err.message} [${err.code}]\n`);
    return EXIT_USAGE;
  }
}
