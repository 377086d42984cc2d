/**
 * The controller's logger (issue #4): pino JSON lines, with credentials redacted by path, a child logger per
 * reconcile carrying `{ stack, revision, reconcileId }` (style-anchors Lesson 3), and a small built-in line formatter
 * for terminals instead of a pino-pretty dependency. Redaction by path cannot see inside free text: given the
 * process's scrubber (controller/scrub.ts), every line is also scrubbed by value before it is written, in both formats.
 */
import { randomUUID } from "node:crypto";
import pino from "pino";
import type { DestinationStream, Logger } from "pino";
import type { Scrubber } from "./scrub.ts";

/** Options of createLogger; `cmd/` decides `pretty` (e.g. stdout is a TTY). */
export interface LoggerOptions {
  level: string;
  pretty: boolean;
  /** Where lines go; default standard output. */
  destination?: DestinationStream;
  /** Scrubs every line by value (secrets resolved in the run, credentials); without it only paths are redacted. */
  scrub?: Scrubber;
}

/** The value that replaces redacted fields. */
export const REDACTED = "[redacted]";

const SECRET_KEYS = [
  "token",
  "password",
  "secret",
  "apiKey",
  "api_key",
  "authorization",
  "cookie",
  "sshKey",
  "privateKey",
  "githubSecret",
  "bearerToken",
  "env",
];

/** REDACT_PATHS are the field paths censored in every line: secret-named keys at the top level and one level down. */
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  "*.headers.authorization",
];

/** createLogger returns a pino logger at `level`, JSON lines, or one readable line per record when `pretty`. */
export function createLogger(opts: LoggerOptions): Logger {
  const destination = opts.destination ?? process.stdout;
  const stream = opts.pretty ? prettyStream(destination) : destination;
  return pino(
    {
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      base: undefined, // pid and hostname add nothing inside one container
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(opts.scrub ? { hooks: { streamWrite: (line: string) => opts.scrub!.text(line) } } : {}),
    },
    stream,
  );
}

/** ReconcileContext identifies one reconcile in its log lines. */
export interface ReconcileContext {
  stack: string;
  revision: string | null;
  reconcileId?: string;
}

/** reconcileLogger is the child logger for one reconcile; a fresh `reconcileId` is made when none is given. */
export function reconcileLogger(base: Logger, ctx: ReconcileContext): Logger {
  return base.child({ stack: ctx.stack, revision: ctx.revision, reconcileId: ctx.reconcileId ?? newReconcileId() });
}

/** newReconcileId returns a short random id (8 hex digits is plenty to tell runs apart in one log). */
export function newReconcileId(): string {
  return randomUUID().slice(0, 8);
}

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

/** formatPrettyLine turns one pino JSON line into `HH:MM:SS.mmm LEVEL message key=value …`; other text passes through. */
export function formatPrettyLine(line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, err, ...rest } = rec;
  const clock = typeof time === "string" ? time.slice(11, 23) : "";
  const label = LEVELS[Number(level)] ?? String(level);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  const errText = err && typeof err === "object" && "message" in err ? ` error=${JSON.stringify((err as { message: unknown }).message)}` : "";
  return `${clock} ${label.padEnd(5)} ${String(msg ?? "")}${fields.length ? ` ${fields.join(" ")}` : ""}${errText}\n`;
}

function prettyStream(out: DestinationStream): DestinationStream {
  return {
    write(chunk: string) {
      for (const line of chunk.split("\n")) if (line) out.write(formatPrettyLine(line));
    },
  };
}
