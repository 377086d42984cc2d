/**
 * The result types of loading manifests, shared by the loader, the cross-manifest rules and the controller.
 */
import type { FieldPath, ManifestError, Note, Position } from "./errors.ts";
import type { NormalizedStack } from "./normalize.ts";

/** A Stack document that passed the model, with its defaults filled in. */
export interface LoadedStack {
  /** The file as the user named it (`<stdin>` for standard input). */
  file: string;
  /** 0-based index of the document in its file. */
  docIndex: number;
  stack: NormalizedStack;
  /** Source position of a field path in this document: the key's when `key` is true, else the value's. */
  locate: (path: FieldPath, key?: boolean) => Position;
}

/**
 * Everything a load found. `stacks` holds the documents that passed the model (even those named by a
 * cross-manifest error); `errors` every problem of every file; `notes` the documents skipped and YAML warnings.
 * `failedStackNames` names every Stack that has an error, when its `metadata.name` could be read, so that a
 * controller never mistakes a broken manifest for a removed stack; `failedFiles` lists files with any error.
 */
export interface LoadResult {
  files: string[];
  stacks: LoadedStack[];
  errors: ManifestError[];
  notes: Note[];
  failedStackNames: string[];
  failedFiles: string[];
}

/** The target a stack deploys to: `spec.target`, or "" for the default target. */
export function targetOf(stack: NormalizedStack): string {
  return stack.spec.target ?? "";
}
