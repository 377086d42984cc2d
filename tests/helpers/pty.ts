/**
 * Runs a command in a real pseudo-terminal through util-linux `script`, so that the child sees a TTY on stdin and
 * stdout; the test types into it when the output shows a prompt, or closes its input.
 */
import { spawn } from "node:child_process";

/** A command running on a terminal. */
export interface PtyRun {
  /** Resolves once the output (so far) matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Types text on the terminal. */
  type(text: string): void;
  /** Resolves with the exit code and everything the terminal showed. */
  done: Promise<{ code: number; output: string }>;
}

/** shellQuote quotes one argument for sh. */
function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** runInPty starts `argv` on a pseudo-terminal with `env` and `cwd`. */
export function runInPty(argv: string[], options: { env: Record<string, string | undefined>; cwd: string }): PtyRun {
  const child = spawn("script", ["-qfec", argv.map(shellQuote).join(" "), "/dev/null"], { cwd: options.cwd, env: { PATH: process.env.PATH, TERM: "dumb", ...options.env } as NodeJS.ProcessEnv });
  let output = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.on("data", (d) => {
    output += d;
    for (const w of [...waiters]) if (w.pattern.test(output)) waiters.splice(waiters.indexOf(w), 1), w.resolve();
  });
  child.stderr.on("data", (d) => (output += d));
  const done = new Promise<{ code: number; output: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
  return {
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        if (pattern.test(output)) return resolve();
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    type: (text) => void child.stdin.write(text),
    done,
  };
}
