/**
 * Deciding what a YAML document is before validating it: a GitOps repository holds Kubernetes objects, CI files and
 * more beside Stacks. Documents that are clearly something else — `apiVersion` and `kind` of another API, or a
 * ControllerConfig — are skipped with a note; a document that is almost a Stack (our group, or kind Stack) is
 * validated or rejected, never skipped, so that a typo cannot hide a manifest. Anything else (a list, plain text,
 * a mapping without apiVersion and kind) is an error that suspends teardown: a manifest that stopped being a
 * Stack (truncated, overwritten, a merge left half done) must never read as a stack that was removed.
 */
import type { ErrorCode, NoteCode } from "./errors.ts";
import { CONFIG_KIND } from "./config.ts";
import { API_GROUP, STACK_API_VERSION, STACK_KIND } from "./model.ts";
import { didYouMean } from "./suggest.ts";

/** The outcome: validate as a Stack, skip with a note, or reject with an error at `path`. */
export type Classification =
  | { note?: undefined; error?: undefined }
  | { note: NoteCode; message: string; error?: undefined }
  | { note?: undefined; error: ErrorCode; path: string[]; message: string };

const KINDS = [STACK_KIND];

/** classify looks at `apiVersion` and `kind` of a parsed document. */
export function classify(data: unknown): Classification {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const what = Array.isArray(data) ? "a list" : data === null ? "null" : typeof data === "string" ? "plain text" : `a ${typeof data}`;
    return notAManifest(`the document is ${what}, not a Stack`);
  }
  const { apiVersion, kind } = data as { apiVersion?: unknown; kind?: unknown };
  const version = typeof apiVersion === "string" ? apiVersion : undefined;
  const group = version?.includes("/") ? version.slice(0, version.lastIndexOf("/")) : undefined;
  if (group === API_GROUP) {
    // The controller's own configuration often lives beside the manifests: it is known, just not a Stack.
    if (kind === CONFIG_KIND) return { note: "skipped.other-kind", message: `skipped ${CONFIG_KIND}: the controller's configuration, not a Stack` };
    if (typeof kind === "string" && !KINDS.includes(kind)) {
      const guess = didYouMean(kind, KINDS);
      const hint = guess ? ` (did you mean "${guess}"?)` : `; known kinds: ${KINDS.join(", ")}`;
      return { error: "schema.unknown-kind", path: ["kind"], message: `unknown kind "${kind}" in ${API_GROUP}${hint}` };
    }
    if (version !== STACK_API_VERSION) {
      return { error: "schema.unsupported-version", path: ["apiVersion"], message: `apiVersion "${version}" is not supported; this stackctl supports ${STACK_API_VERSION}` };
    }
    return {};
  }
  const stackLike = typeof kind === "string" && didYouMean(kind, KINDS) !== undefined;
  // A Stack whose apiVersion is missing or misspelt is validated, so that the model reports the mistake.
  if (stackLike && (group === undefined || didYouMean(group, [API_GROUP]) !== undefined)) return {};
  // A GitHub Actions workflow (`on` and `jobs`) is clearly something else, wherever it is kept (examples, templates).
  if (apiVersion === undefined && kind === undefined && isWorkflow(data as Record<string, unknown>)) {
    return { note: "skipped.other-kind", message: "skipped a GitHub Actions workflow (on, jobs): not a stackctl manifest" };
  }
  if (typeof apiVersion !== "string" || typeof kind !== "string" || apiVersion === "" || kind === "") {
    return notAManifest("the document has no apiVersion and kind of another API, and is not a Stack");
  }
  return { note: "skipped.other-kind", message: `skipped ${apiVersion} ${kind}: not a ${API_GROUP} document` };
}

function isWorkflow(doc: Record<string, unknown>): boolean {
  const jobs = doc["jobs"];
  return ("on" in doc || "true" in doc) && typeof jobs === "object" && jobs !== null && !Array.isArray(jobs);
}

/** What a user reads for a YAML document that is neither a Stack nor clearly something else. */
export const NOT_A_MANIFEST_HINT = `fix the file, or exclude its path in .stackctlignore (or with --exclude); until then no stack is torn down`;

function notAManifest(what: string): Classification {
  return { error: "input.not-a-manifest", path: [], message: `${what}; ${NOT_A_MANIFEST_HINT}` };
}
