/**
 * `stackctl dev-server dokploy|coolify`: runs a bundled simulator on 127.0.0.1 so the quick start and the examples
 * work on a machine with no Dokploy or Coolify. Prints the URL, the credential and the variables to export, then
 * serves until SIGINT/SIGTERM (exit 0).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CliIO, Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";

const HELP = `usage: stackctl dev-server dokploy|coolify [--port N] [--latency-ms N] [options]

Runs a local Dokploy- or Coolify-compatible API server (a simulator, in memory) on 127.0.0.1.
  --port N           port to listen on (default 3000 for dokploy, 8000 for coolify; 0 picks a free one)
  --latency-ms N     delay every API call by N ms (to feel a real server's ~300 ms)
dokploy:
  --api-key KEY      the x-api-key to accept (default sim-api-key)
  --state-file FILE  keep the state in this JSON file across restarts
  --no-docker        behave like a server without Docker: deploys fail, start answers 500
  --builds-concurrency N  deployments built at once (default 1, as Dokploy's buildsConcurrency)
coolify:
  --token TOKEN      the bearer token to accept (default 1|sim-token)
  --rate-limit N     requests per minute before a 429, as API_RATE_LIMIT (default 200)
  --no-sensitive     behave like a token without read:sensitive: env values are hidden
Stop it with Ctrl-C.
`;

/** A simulator started for the verb: what to print, and how to stop it. */
interface Running {
  banner: string;
  name: string;
  close(): Promise<void>;
}

function nonNegativeInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${value}'`);
  return n;
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: "string" }, "latency-ms": { type: "string" }, help: { type: "boolean", default: false },
      "api-key": { type: "string" }, "state-file": { type: "string" }, "no-docker": { type: "boolean", default: false },
      token: { type: "string" }, "rate-limit": { type: "string" }, "no-sensitive": { type: "boolean", default: false },
      "builds-concurrency": { type: "string" },
    },
  });
  if (values.help) return { help: true as const };
  const provider = positionals[0];
  if (positionals.length !== 1 || (provider !== "dokploy" && provider !== "coolify")) throw new Error("expected exactly one provider: dokploy or coolify");
  const rateLimit = nonNegativeInt("rate-limit", values["rate-limit"], 200);
  if (rateLimit === 0) throw new Error("--rate-limit must be at least 1");
  return {
    help: false as const,
    provider,
    port: nonNegativeInt("port", values.port, provider === "dokploy" ? 3000 : 8000),
    latencyMs: nonNegativeInt("latency-ms", values["latency-ms"], 0),
    apiKey: values["api-key"],
    stateFile: values["state-file"],
    docker: !values["no-docker"],
    token: values.token,
    rateLimit,
    sensitive: !values["no-sensitive"],
    buildsConcurrency: nonNegativeInt("builds-concurrency", values["builds-concurrency"], 1),
  };
}

type Options = Exclude<ReturnType<typeof parse>, { help: true }>;

/** A value as a shell word: Coolify tokens hold a `|`, which a shell would read as a pipe. */
function shellWord(value: string): string {
  return /^[\w.:/@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function banner(title: string, url: string, lines: string[], exports: Record<string, string>): string {
  const exported = Object.entries(exports).map(([k, v]) => `  export ${k}=${shellWord(v)}`);
  return [`${title} listening on ${url}`, ...lines, "", "To point stackctl at it:", ...exported, "", "Press Ctrl-C to stop.", ""].join("\n");
}

// Simulators are imported here so that other verbs never pay for loading them.
async function startDokploy(opts: Options, cwd: string): Promise<Running> {
  const { startDokploySimulator } = await import("../simulators/dokploy/server.ts");
  const stateFile = opts.stateFile === undefined ? undefined : resolve(cwd, opts.stateFile);
  const sim = await startDokploySimulator({ port: opts.port, latencyMs: opts.latencyMs, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}), ...(stateFile ? { stateFile } : {}) });
  sim.store.settings.dockerAvailable = opts.docker;
  sim.store.settings.deploy.buildsConcurrency = Math.max(1, opts.buildsConcurrency);
  const state = stateFile ? `State file: ${stateFile}` : "State: in memory (lost on exit)";
  return { name: "Dokploy", banner: banner("Dokploy simulator", sim.url, [`API key: ${sim.apiKey}`, state], { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey }), close: () => sim.close() };
}

async function startCoolify(opts: Options): Promise<Running> {
  const { startCoolifySimulator } = await import("../simulators/coolify/server.ts");
  const sim = await startCoolifySimulator({ port: opts.port, latencyMs: opts.latencyMs, rateLimitPerMinute: opts.rateLimit, canReadSensitive: opts.sensitive, ...(opts.token ? { token: opts.token } : {}) });
  const lines = [`Token: ${sim.token}`, `Rate limit: ${opts.rateLimit} requests per minute`, "Server: localhost", "State: in memory (lost on exit)"];
  return { name: "Coolify", banner: banner("Coolify simulator", sim.url, lines, { COOLIFY_URL: sim.url, COOLIFY_TOKEN: sim.token }), close: () => sim.close() };
}

/** run implements the dev-server verb. */
export const run: Verb = async (args: string[], io: CliIO) => {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(args);
  } catch (err) {
    io.stderr(`stackctl dev-server: ${(err as Error).message}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  if (opts.help) return io.stdout(HELP), 0;
  let running: Running;
  try {
    running = opts.provider === "dokploy" ? await startDokploy(opts, io.cwd) : await startCoolify(opts);
  } catch (err) {
    io.stderr(`stackctl dev-server: cannot start: ${(err as Error).message}\n`);
    return EXIT_USAGE;
  }
  io.stdout(running.banner);
  if (!io.signal.aborted) await new Promise<void>((r) => io.signal.addEventListener("abort", () => r(), { once: true }));
  await running.close();
  io.stdout(`${running.name} simulator stopped.\n`);
  return 0;
};
