/**
 * Targeting: which stacks a verb works on, and whether its input speaks for the whole source. `--stack NAME`
 * (repeatable) and `--selector key=value[,key=value]` (labels, all must match) limit validate, diff and apply to some
 * stacks. Teardown of stacks absent from the input happens only when the input is authoritative: directories only,
 * no limit. A file given by name plans the stacks in it and nothing else; a limited run never tears down outside
 * its limit.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { ManifestError } from "../specs/errors.ts";

/** The stacks a run is limited to; both parts must match when both are given. */
export interface StackLimit {
  names: ReadonlySet<string> | null;
  labels: Readonly<Record<string, string>> | null;
}

/** The command-line options of targeting, for `parseArgs`. */
export const TARGETING_OPTIONS = {
  stack: { type: "string", multiple: true },
  selector: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
} as const;

/** A usage error in a targeting option (exit 2). */
export class TargetingError extends Error {}

/** parseLimit reads `--stack` and `--selector` values; null when the run is not limited. */
export function parseLimit(stacks: readonly string[] | undefined, selectors: readonly string[] | undefined): StackLimit | null {
  const names = stacks && stacks.length > 0 ? new Set(stacks) : null;
  let labels: Record<string, string> | null = null;
  for (const selector of selectors ?? []) {
    for (const term of selector.split(",")) {
      const match = /^\s*([^=\s]+)\s*=\s*([^=\s]*)\s*$/.exec(term);
      if (!match) throw new TargetingError(`--selector: '${term}' is not key=value (labels, comma-separated, all must match)`);
      (labels ??= {})[match[1]!] = match[2]!;
    }
  }
  return names === null && labels === null ? null : { names, labels };
}

/** inLimit tells whether a stack with this name and these labels is inside the limit (always, without one). */
export function inLimit(limit: StackLimit | null, name: string, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (limit === null) return true;
  if (limit.names !== null && !limit.names.has(name)) return false;
  if (limit.labels === null) return true;
  return labels !== undefined && Object.entries(limit.labels).every(([k, v]) => labels[k] === v);
}

/**
 * errorInLimit keeps an error that names a stack inside the limit, or names none (a file that does not parse
 * concerns every stack). A broken stack's labels cannot be read, so a selector keeps its errors.
 */
export function errorInLimit(limit: StackLimit | null, error: Pick<ManifestError, "subject">, labelsOf: (name: string) => Record<string, string> | undefined): boolean {
  const name = error.subject?.split(" ")[0]?.replace(/^stack\//, "");
  if (limit === null || name === undefined) return true;
  const labels = labelsOf(name);
  if (labels === undefined) return limit.names === null || limit.names.has(name);
  return inLimit(limit, name, labels);
}

/** readsWholeSource is true when every path is a directory: the input then declares every stack of the source. */
export async function readsWholeSource(paths: readonly string[], cwd: string): Promise<boolean> {
  const kinds = await Promise.all(paths.map((p) => (p === "-" ? Promise.resolve(false) : stat(resolve(cwd, p)).then((s) => s.isDirectory(), () => false))));
  return kinds.every(Boolean);
}
