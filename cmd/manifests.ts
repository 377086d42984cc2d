/**
 * Manifests for the verbs that plan: load and validate them as `validate` does, and keep for planning only the
 * stacks without errors. Broken stacks are named so they are never torn down; when an error cannot be tied to a
 * stack (a file that does not parse, an unreadable path), teardown is suspended altogether for this run.
 */
import type { SourcedStack } from "../controller/desired.ts";
import type { ManifestError } from "../specs/errors.ts";
import { suspendsTeardown } from "../specs/errors.ts";
import { loadManifests } from "../specs/load.ts";
import type { CliIO } from "./io.ts";

/** What the planning verbs get from the manifests. */
export interface StackManifests {
  stacks: SourcedStack[];
  failedStacks: string[];
  /** True when some error could not be attributed to a stack: no stack may be treated as removed. */
  suspendTeardown: boolean;
  errors: ManifestError[];
}

/** readStacks loads `paths` (relative to io.cwd; `-` is stdin), leaving out `exclude` (gitignore syntax). */
export async function readStacks(paths: readonly string[], io: CliIO, exclude: readonly string[] = []): Promise<StackManifests> {
  const result = await loadManifests(paths, { cwd: io.cwd, readStdin: async () => new Uint8Array(await io.readStdin()), exclude });
  const failed = new Set(result.failedStackNames);
  return {
    stacks: result.stacks.filter((s) => !failed.has(s.stack.metadata.name)).map((s) => ({ file: s.file, stack: s.stack })),
    failedStacks: [...failed].sort(),
    suspendTeardown: result.errors.some(suspendsTeardown),
    errors: result.errors,
  };
}

/** formatManifestError prints an error as `validate` does: `file:line:col: error path: message [code]`. */
export function formatManifestError(e: ManifestError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return `${where}: error${e.path ? ` ${e.path}` : ""}: ${e.message} [${e.code}]`;
}
