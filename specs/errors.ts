/**
 * The vocabulary of validation results: every problem found in manifests is a `ManifestError` with a stable code,
 * a position and a field path, so that the CLI, CI annotations and the controller all say the same thing.
 */

/**
 * Stable error codes, grouped by prefix: `io.` (exit 2), then `input.`, `yaml.`, `schema.`, `rules.` and, when
 * validate knows the targets, `spec.`, `config.`, `policy.` and `provider.` (exit 1).
 */
export const ERROR_CODES = {
  "io.not-found": "a path given on the command line does not exist",
  "io.unreadable": "a file or directory cannot be read (permissions, symlink loop, ...)",
  "io.not-a-file": "a path is neither a regular file nor a directory (FIFO, socket, device)",
  "io.outside-root": "a symbolic link inside a directory leads outside it: never followed",
  "io.no-yaml-files": "a directory given on the command line holds no .yaml or .yml file",
  "input.empty": "a file holds no YAML document",
  "input.too-large": "a file is larger than the size limit (1 MiB)",
  "input.binary": "a file holds NUL bytes: it is not text",
  "input.encoding": "a file is not valid UTF-8",
  "input.not-a-manifest": "a YAML file holds a document that is neither a Stack nor clearly something else; teardown waits",
  "yaml.syntax": "YAML syntax error",
  "yaml.duplicate-key": "a mapping has the same key twice",
  "yaml.indentation": "a key is indented more or less than the other keys of its mapping",
  "yaml.inline-mapping": "a mapping is written on the line of its key (`KEY: secret: X`); write `KEY: { secret: X }`",
  "yaml.alias-limit": "too many alias expansions (a YAML 'billion laughs' bomb)",
  "yaml.too-deep": "a document is nested deeper than the limit",
  "schema.unsupported-version": "a Stack has an apiVersion this stackctl does not support",
  "schema.unknown-kind": "a document of the stackctl.dev group has an unknown kind",
  "schema.unknown-field": "a field the model does not define (typos included)",
  "schema.missing-field": "a required field is absent",
  "schema.invalid-type": "a value has the wrong type",
  "schema.invalid-value": "a value is not one of the allowed values",
  "schema.invalid-format": "a string does not have the expected format",
  "schema.out-of-range": "a number, string or list is too small or too large",
  "schema.invalid-key": "a map key (env name, label key) has the wrong format",
  "schema.unsafe-character": "a name or value holds NUL or a bidirectional control character (U+202A–U+202E, U+2066–U+2069)",
  "schema.interpolation": "an env value looks like ${NAME} or $NAME interpolation, which stackctl does not do: use { secret: NAME }, or $$ for a literal $",
  "schema.invalid": "another constraint of the model, such as exactly one application source",
  "rules.duplicate-stack": "two stacks of one target have the same name",
  "rules.duplicate-environment": "two stacks of one target claim the same project and environment",
  "rules.duplicate-domain": "two applications claim the same domain host and path",
  "rules.duplicate-application": "two applications of a stack have the same name",
  "rules.unknown-dependency": "dependsOn names a stack that does not exist in the same target",
  "rules.dependency-cycle": "dependsOn entries form a cycle",
  "rules.domain-port": "a domain has no port and its application lists no ports",
  "rules.marker-in-description": "a stack's description holds stackctl's ownership marker syntax ([managed-by …])",
  "spec.healthcheck-port": "an HTTP health check has no port and its application lists no ports",
  "config.unknown-target": "spec.target names a target the ControllerConfig does not have",
  "config.target-required": "the ControllerConfig has several targets and the stack names none (spec.target)",
  "policy.host-path": "a bind mount's hostPath is outside the ControllerConfig's policy.hostPaths.allow",
  "provider.unsupported": "the target's platform (Dokploy or Coolify) cannot express this field",
} as const;

/** A stable error code; see `ERROR_CODES`. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** A path inside a document, as zod reports it (numbers index lists; zod's type allows symbols, never used here). */
export type FieldPath = readonly PropertyKey[];

/** A 1-based line and column; both 0 when a problem concerns a whole file that has no usable text. */
export interface Position {
  line: number;
  column: number;
}

/**
 * One problem in the manifests. `file` is the path as the user gave it (or `<stdin>`), `line`/`column` point at
 * the offending node (1-based; 0 for errors about a whole file, such as one that cannot be read), `path` is the field path such as `spec.applications[0].domains[1].port` (empty
 * when the problem is about the whole file), `subject` names the stack or application it concerns.
 */
export interface ManifestError extends Position {
  code: ErrorCode;
  file: string;
  path: string;
  message: string;
  subject?: string;
}

/** Codes of notes: things that are not errors but that a user should know were not checked. */
export type NoteCode = "skipped.other-kind" | "skipped.not-a-mapping" | "yaml.warning";

/** Something worth telling that does not make the manifests invalid, such as a skipped document. */
export interface Note extends Position {
  code: NoteCode;
  file: string;
  message: string;
}

/** Renders a zod-style path as `spec.applications[0].name`; keys that are not identifiers are quoted. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const key of path) {
    const seg = typeof key === "symbol" ? String(key) : key;
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * True for errors after which no stack may be treated as removed, whatever stack they name: an unreadable file, text
 * that does not parse, or a document that is not clearly something else may have held any stack.
 */
export function suspendsTeardown(error: Pick<ManifestError, "code" | "subject">): boolean {
  return error.subject === undefined || /^(io|input|yaml)\./.test(error.code);
}

/** parseFieldPath is the inverse of formatPath: `spec.applications[0]["a b"]` → `["spec", "applications", 0, "a b"]`. */
export function parseFieldPath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  const token = /\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null;
  while ((m = token.exec(text)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]!) as string);
    if (token.lastIndex >= text.length) break;
  }
  return out;
}

/** True for errors that mean the input could not be read at all (exit code 2 rather than 1). */
export function isIOError(error: Pick<ManifestError, "code">): boolean {
  return error.code.startsWith("io.");
}
