#!/usr/bin/env node
/**
 * The `stackctl` CLI: picks the verb, builds the CliIO from the process, and exits with the verb's code. The
 * installed command is `bin.ts`, which checks the Node.js version before loading this file.
 * Verbs are loaded lazily so that `stackctl validate` does not pay for the HTTP client.
 */
import { terminalAsk } from "./ask.ts";
import type { CliIO, Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";
import { stopWhenOrphaned } from "./orphan.ts";

const VERBS: Record<string, { summary: string; load: () => Promise<{ run: Verb }> }> = {
  validate: { summary: "check Stack manifests (files, directories, - for stdin)", load: () => import("./validate.ts") },
  diff: { summary: "show what apply would change on the servers", load: () => import("./diff.ts") },
  apply: { summary: "make the servers match the manifests", load: () => import("./apply.ts") },
  run: { summary: "run the controller: keep the servers matching a Git branch or a directory", load: () => import("./run.ts") },
  get: { summary: "show the running controller's stacks (get stacks, get stack NAME)", load: () => import("./get.ts") },
  reconcile: { summary: "ask the running controller to reconcile a stack (or --all) now", load: () => import("./reconcile.ts") },
  suspend: { summary: "pause a stack on the running controller", load: () => import("./suspend.ts") },
  resume: { summary: "lift a pause made by suspend", load: async () => ({ run: (await import("./suspend.ts")).resume }) },
  events: { summary: "show the running controller's recent reconciles", load: () => import("./events.ts") },
  logs: { summary: "show (or --follow) the log of a stack's last deployments", load: () => import("./logs.ts") },
  "dev-server": { summary: "run a local simulator: 'dev-server dokploy' or 'dev-server coolify'", load: () => import("./dev-server.ts") },
  version: { summary: "print stackctl's version (also --version)", load: () => import("./version.ts") },
};

function usage(): string {
  const lines = Object.entries(VERBS).map(([name, v]) => `  ${name.padEnd(12)}${v.summary}`);
  return `usage: stackctl <verb> [options]\n\nverbs:\n${lines.join("\n")}\n\nRun 'stackctl <verb> --help' for a verb's options.\n`;
}

function processIO(signal: AbortSignal): CliIO {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    signal,
    ...(process.stdin.isTTY && process.stdout.isTTY ? { ask: terminalAsk(signal) } : {}),
  };
}

async function main(argv: string[]): Promise<number> {
  const [given, ...rest] = argv;
  const verb = given === "--version" || given === "-V" ? "version" : given;
  if (verb === undefined || verb === "--help" || verb === "-h" || verb === "help") {
    process.stdout.write(usage());
    return verb === undefined ? EXIT_USAGE : 0;
  }
  const entry = VERBS[verb];
  if (!entry) {
    process.stderr.write(`stackctl: unknown verb '${verb}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  const abort = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => abort.abort(new Error(`received ${sig}`)));
  if (verb === "run" || verb === "dev-server") stopWhenOrphaned(() => abort.abort(new Error("the parent process exited")));
  const { run } = await entry.load();
  return run(rest, processIO(abort.signal));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`stackctl: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nplease report this as a bug\n`);
    process.exitCode = 70;
  },
);
