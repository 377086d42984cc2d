/**
 * `stackctl logs STACK [APP]`: the log of each application's last deployment (Dokploy `deployment.readLogs`,
 * Coolify's deployment `logs`), and with `--follow` the log as it grows until the deployment ends. The stack's
 * applications are found by their ownership markers on the targets the configuration names; every line passes
 * through the run's scrubber (credentials and the stacks' resolved secrets) before it is printed.
 */
import { parseArgs } from "node:util";
import type { ActualApplication, ActualState } from "../controller/model.ts";
import { isOwnedBy } from "../controller/ownership.ts";
import type { Provider } from "../controller/provider.ts";
import type { CliIO, Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";
import type { Prepared } from "./prepare.ts";
import { PLAN_OPTIONS, planWith } from "./prepare.ts";

const HELP = `usage: stackctl logs STACK [APP] [--follow] [--lines N] [--path DIR]... [--config FILE]

Prints the log of the last deployment of each application of STACK (or of APP only). --follow keeps printing
while that deployment runs (one application). Manifests are read from --path (default: .), to resolve the
secrets that are scrubbed from the output. Exit codes: 0 shown (followed: the deployment succeeded),
1 the followed deployment failed, 2 usage or configuration error, or nothing to show.
`;

const OPTIONS = {
  ...PLAN_OPTIONS,
  follow: { type: "boolean", short: "f", default: false },
  lines: { type: "string", short: "n", default: "200" },
  path: { type: "string", multiple: true },
} as const;

/** How often --follow polls the deployment. */
const FOLLOW_EVERY_MS = 1000;
/** The most lines --follow asks for at once. */
const FOLLOW_LINES = 10_000;

/** One application of the stack on a target. */
interface Found {
  target: string;
  provider: Provider;
  app: ActualApplication;
}

/** run implements the logs verb. */
export const run: Verb = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    io.stderr(`stackctl logs: ${(err as Error).message}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) return io.stdout(HELP), 0;
  const [stack, app, ...rest] = parsed.positionals;
  const lines = Number(parsed.values.lines);
  if (stack === undefined || rest.length > 0 || !Number.isInteger(lines) || lines < 1) {
    io.stderr(`stackctl logs: give STACK and at most one APP; --lines is a positive integer\n\n${HELP}`);
    return EXIT_USAGE;
  }
  const planning = { positionals: parsed.values.path ?? ["."], values: parsed.values };
  return planWith("logs", planning, io, (p, out) => show(p, out, { stack, app, lines, follow: parsed.values.follow }));
};

async function show(p: Prepared, io: CliIO, opts: { stack: string; app: string | undefined; lines: number; follow: boolean }): Promise<number> {
  const found = p.plans.flatMap((t) => (!t.error && t.actual ? appsOf(t.actual, p.config.instance, opts.stack).map((app) => ({ target: t.target, provider: p.targets.find((x) => x.name === t.target)!.provider, app })) : []))
    .filter((f) => opts.app === undefined || f.app.name === opts.app);
  const subject = `stack/${opts.stack}${opts.app ? ` app/${opts.app}` : ""}`;
  for (const t of p.plans) if (t.error) io.stderr(`warning: ${t.error.subject}: ${t.error.message}\n`);
  if (found.length === 0) return fail(io, `${subject}: no application of this stack on any target (not applied yet, or not declared under --path) [logs.not-found]`);
  if (opts.follow && found.length > 1) return fail(io, `${subject}: --follow follows one application: name it (${found.map((f) => f.app.name).join(", ")}) [logs.ambiguous]`);
  let code = 0;
  for (const f of found) code = Math.max(code, await showOne(f, io, opts, found.length > 1));
  return code;
}

async function showOne(f: Found, io: CliIO, opts: { stack: string; lines: number; follow: boolean }, header: boolean): Promise<number> {
  const subject = `stack/${opts.stack} app/${f.app.name}`;
  const { provider } = f;
  if (!provider.latestDeployment || !provider.readDeploymentLog) return fail(io, `${subject}: target ${f.target} cannot read deployment logs [logs.unsupported]`);
  const ticket = await provider.latestDeployment(f.app.id);
  if (!ticket) return fail(io, `${subject}: no deployment yet [logs.no-deployment]`);
  if (header) io.stdout(`==> ${subject} (deployment ${ticket.deploymentId}) <==\n`);
  if (!opts.follow) {
    for (const line of await provider.readDeploymentLog(ticket, opts.lines)) io.stdout(`${line}\n`);
    return 0;
  }
  let printed = 0;
  for (;;) {
    const seen = provider.observeDeployment ? await provider.observeDeployment(ticket) : null;
    const log = await provider.readDeploymentLog(ticket, FOLLOW_LINES);
    // A log that shrank was rewritten (the platform replaces the file): print it again from the top.
    if (log.length < printed) printed = 0;
    for (const line of log.slice(printed === 0 ? Math.max(0, log.length - opts.lines) : printed)) io.stdout(`${line}\n`);
    printed = log.length;
    if (!seen || ["succeeded", "failed", "cancelled"].includes(seen.phase)) {
      if (seen) io.stderr(`${subject}: deployment ${seen.phase} (${seen.platformStatus})\n`);
      return seen?.phase === "succeeded" || !seen ? 0 : 1;
    }
    if (io.signal.aborted) return 0;
    await new Promise((r) => setTimeout(r, FOLLOW_EVERY_MS));
  }
}

/** The applications marked for (instance, stack) on a target, by name. */
function appsOf(actual: ActualState, instance: string, stack: string): ActualApplication[] {
  return actual.projects
    .flatMap((p) => p.environments.flatMap((e) => e.applications))
    .filter((a) => isOwnedBy(a.owner, instance, stack))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function fail(io: CliIO, message: string): number {
  io.stderr(`stackctl logs: ${message}\n`);
  return EXIT_USAGE;
}
