/**
 * `stackctl dev-server dokploy`: runs the bundled Dokploy simulator on 127.0.0.1 so the quick start and the
 * examples work on a machine with no Dokploy. Prints the URL, the API key and the variables to export, then serves
 * until SIGINT/SIGTERM (exit 0).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { CliIO, Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";

const HELP = `usage: stackctl dev-server dokploy [--port N] [--api-key KEY] [--state-file FILE] [--latency-ms N] [--no-docker]

Runs a local Dokploy-compatible API server (a simulator, in memory) on 127.0.0.1.
  --port N          port to listen on (default 3000; 0 picks a free one)
  --api-key KEY     the x-api-key to accept (default sim-api-key)
  --state-file FILE keep the state in this JSON file across restarts
  --latency-ms N    delay every API call by N ms (to feel a real server's ~300 ms)
  --no-docker       behave like a server without Docker: deploys fail, start answers 500
Stop it with Ctrl-C.
`;

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
      port: { type: "string" }, "api-key": { type: "string" }, "state-file": { type: "string" }, "latency-ms": { type: "string" },
      "no-docker": { type: "boolean", default: false }, help: { type: "boolean", default: false },
    },
  });
  if (values.help) return { help: true as const };
  if (positionals.length !== 1 || positionals[0] !== "dokploy") throw new Error("expected exactly one provider: dokploy");
  return {
    help: false as const,
    port: nonNegativeInt("port", values.port, 3000),
    latencyMs: nonNegativeInt("latency-ms", values["latency-ms"], 0),
    apiKey: values["api-key"],
    stateFile: values["state-file"],
    docker: !values["no-docker"],
  };
}

function banner(url: string, apiKey: string, stateFile: string | undefined): string {
  return [
    `Dokploy simulator listening on ${url}`,
    `API key: ${apiKey}`,
    stateFile ? `State file: ${stateFile}` : "State: in memory (lost on exit)",
    "",
    "To point stackctl at it:",
    `  export DOKPLOY_URL=${url}`,
    `  export DOKPLOY_API_KEY=${apiKey}`,
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
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
  // Loaded here so that other verbs never pay for the simulator.
  const { startDokploySimulator } = await import("../simulators/dokploy/server.ts");
  const stateFile = opts.stateFile === undefined ? undefined : resolve(io.cwd, opts.stateFile);
  let sim;
  try {
    sim = await startDokploySimulator({ port: opts.port, latencyMs: opts.latencyMs, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}), ...(stateFile ? { stateFile } : {}) });
  } catch (err) {
    io.stderr(`stackctl dev-server: cannot start: ${(err as Error).message}\n`);
    return EXIT_USAGE;
  }
  sim.store.settings.dockerAvailable = opts.docker;
  io.stdout(banner(sim.url, sim.apiKey, stateFile));
  if (!io.signal.aborted) await new Promise<void>((r) => io.signal.addEventListener("abort", () => r(), { once: true }));
  await sim.close();
  io.stdout("Dokploy simulator stopped.\n");
  return 0;
};
