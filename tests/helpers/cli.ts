/**
 * Runs CLI verbs in-process with a captured CliIO, and as a real child process where the process is the subject.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CliIO, Verb } from "../../cmd/io.ts";
import { reaped } from "./processes.ts";

/** What a verb printed and returned. */
export interface VerbOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI entry point, for child-process runs. */
export const STACKCTL = fileURLToPath(new URL("../../cmd/stackctl.ts", import.meta.url));

/** runVerb runs a verb's `run` with the given environment and working directory. */
export async function runVerb(verb: Verb, args: string[], options: { env: Record<string, string | undefined>; cwd: string; stdin?: string; signal?: AbortSignal }): Promise<VerbOutput> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => Buffer.from(options.stdin ?? ""),
    env: options.env,
    cwd: options.cwd,
    isTTY: false,
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await verb(args, io);
  return { code, stdout, stderr };
}

/** runCli runs `stackctl ARGS` as a child process of Node 24 and waits for it. */
export function runCli(args: string[], options: { env: Record<string, string | undefined>; cwd: string }): Promise<VerbOutput> {
  return new Promise((resolve, reject) => {
    const child = reaped(spawn(process.execPath, [STACKCTL, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env } as NodeJS.ProcessEnv }));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
