/**
 * Rendering a `LoadResult` for people (text), programs (JSON) and GitHub Actions (workflow commands that become
 * annotations on a pull request's lines). Pure functions from a result to the text to print.
 */
import type { ManifestError, Note } from "./errors.ts";
import type { LoadedStack, LoadResult } from "./loaded.ts";
import { targetOf } from "./loaded.ts";

/** The output formats of `stackctl validate`. */
export const FORMATS = ["text", "json", "github"] as const;
/** One of `FORMATS`. */
export type Format = (typeof FORMATS)[number];

/** Version of the JSON output's shape; bumped only on incompatible changes. */
export const JSON_FORMAT_VERSION = 1;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** summary is the last line of every format: what was checked and whether it is valid. */
export function summary(result: LoadResult): string {
  const loaded = new Set(result.stacks.map((s) => s.stack.metadata.name));
  const stacks = result.stacks.length + result.failedStackNames.filter((n) => !loaded.has(n)).length;
  const checked = `${plural(result.files.length, "file")}, ${plural(stacks, "stack")}`;
  const skipped = result.notes.filter((n) => n.code.startsWith("skipped.")).length;
  const tail = skipped > 0 ? `; ${plural(skipped, "other document")} skipped` : "";
  if (result.errors.length === 0) return `valid: ${checked}${tail}`;
  return `invalid: ${plural(result.errors.length, "error")} in ${plural(result.failedFiles.length, "file")} (checked ${checked}${tail})`;
}

function where(p: { file: string; line: number; column: number }): string {
  return p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
}

/** One error as `file:line:col: error path: message [code]` (the position is left out when there is none). */
export function formatError(e: ManifestError, colour = false): string {
  const paint = (code: string, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const path = e.path ? ` ${paint("1", e.path)}` : "";
  return `${where(e)}: ${paint("1;31", "error")}${path}: ${e.message} ${paint("2", `[${e.code}]`)}`;
}

function formatNote(n: Note, colour: boolean): string {
  return `${where(n)}: ${colour ? "\x1b[36mnote\x1b[0m" : "note"}: ${n.message}`;
}

/** formatText renders errors, then notes, then the summary line; ANSI colour only when `colour` is true. */
export function formatText(result: LoadResult, colour: boolean): string {
  const lines = [...result.errors.map((e) => formatError(e, colour)), ...result.notes.map((n) => formatNote(n, colour))];
  const last = summary(result);
  const painted = colour ? `\x1b[${result.errors.length === 0 ? "32" : "31"}m${last}\x1b[0m` : last;
  return `${[...lines, painted].join("\n")}\n`;
}

/**
 * formatJson renders the stable machine-readable shape:
 * `{ formatVersion, valid, files, stacks: [{ name, file, target, provider }], errors, notes, failedStackNames, failedFiles }`
 * where `target` is null for the default target, `provider` names the platform the stack was checked against (null
 * when validate knew none) and errors and notes are `ManifestError` and `Note` objects.
 */
export function formatJson(result: LoadResult, providerOf: (stack: LoadedStack) => string | null = () => null): string {
  const out = {
    formatVersion: JSON_FORMAT_VERSION,
    valid: result.errors.length === 0,
    files: result.files,
    stacks: result.stacks.map((s) => ({ name: s.stack.metadata.name, file: s.file, target: targetOf(s.stack) || null, provider: providerOf(s) })),
    errors: result.errors.map((e) => ({ code: e.code, file: e.file, line: e.line, column: e.column, path: e.path, message: e.message, subject: e.subject ?? null })),
    notes: result.notes.map((n) => ({ code: n.code, file: n.file, line: n.line, column: n.column, message: n.message })),
    failedStackNames: result.failedStackNames,
    failedFiles: result.failedFiles,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

// Workflow command escaping, as the GitHub Actions toolkit does it.
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function command(kind: "error" | "notice", p: { file: string; line: number; column: number }, title: string, message: string): string {
  const props = [`file=${escapeProperty(p.file)}`];
  if (p.line > 0) props.push(`line=${p.line}`, `col=${p.column}`);
  props.push(`title=${escapeProperty(title)}`);
  return `::${kind} ${props.join(",")}::${escapeData(message)}`;
}

/** formatGithub renders `::error file=…,line=…,col=…,title=…::message` commands, notices for notes, then the summary. */
export function formatGithub(result: LoadResult): string {
  const lines = [
    ...result.errors.map((e) => command("error", e, `stackctl ${e.code}`, `${e.path ? `${e.path}: ` : ""}${e.message}`)),
    ...result.notes.map((n) => command("notice", n, `stackctl ${n.code}`, n.message)),
    summary(result),
  ];
  return `${lines.join("\n")}\n`;
}
