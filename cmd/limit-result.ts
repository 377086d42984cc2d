/**
 * A validate result narrowed to the stacks of `--stack` / `--selector`: their documents and errors, plus every
 * error that names no stack (a file that does not parse concerns them all).
 */
import type { LoadResult } from "../specs/loaded.ts";
import type { StackLimit } from "./targeting.ts";
import { errorInLimit, inLimit } from "./targeting.ts";

/** limitResult keeps what concerns the stacks inside `limit`; the result itself when there is no limit. */
export function limitResult(result: LoadResult, limit: StackLimit | null): LoadResult {
  if (limit === null) return result;
  const labelsOf = (name: string) => result.stacks.find((s) => s.stack.metadata.name === name)?.stack.metadata.labels;
  const errors = result.errors.filter((e) => errorInLimit(limit, e, labelsOf));
  return {
    ...result,
    stacks: result.stacks.filter((s) => inLimit(limit, s.stack.metadata.name, s.stack.metadata.labels)),
    errors,
    failedStackNames: result.failedStackNames.filter((name) => errorInLimit(limit, { subject: `stack/${name}` }, labelsOf)),
    failedFiles: [...new Set(errors.map((e) => e.file))],
  };
}
