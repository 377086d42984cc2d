/**
 * The seam between a CLI verb and the process: verbs write through `CliIO` and return an exit code, so tests run
 * them in-process and the entry point alone touches `process`.
 */

/** Streams, environment and working directory given to a verb. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for `-` paths). */
  readStdin: () => Promise<Buffer>;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** True when stdout is a terminal (colour, progress). */
  isTTY: boolean;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /**
   * Asks a question on the terminal and resolves with the line typed (null at end of input). Present only when
   * both stdin and stdout are terminals: a verb must never prompt otherwise.
   */
  ask?: (question: string) => Promise<string | null>;
}

/** A CLI verb: parses its own arguments and returns the process exit code. */
export type Verb = (args: string[], io: CliIO) => Promise<number>;

/** Exit code for usage and I/O errors, shared by every verb. */
export const EXIT_USAGE = 2;
