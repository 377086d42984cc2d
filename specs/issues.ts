/**
 * Translation of zod issues into `ManifestError`s: one error per problem, pointing at the offending node, saying
 * what was expected and what was found, with a suggestion for misspelt field names and values.
 */
import type { z } from "zod";
import type { ErrorCode, FieldPath, ManifestError, Position } from "./errors.ts";
import { ERROR_CODES, formatPath } from "./errors.ts";
import { StackSchema } from "./model.ts";
import { didYouMean, keysAt } from "./suggest.ts";

type Issue = z.core.$ZodIssue;

/** What the translation needs to know about the document the issues came from. */
export interface IssueContext {
  file: string;
  /** The parsed document (plain data), to say what was found and to name the subject. */
  data: unknown;
  /** Source position of a path; `key` asks for the key of the last segment rather than its value. */
  locate: (path: FieldPath, key?: boolean) => Position;
}

/** valueAt returns the value at `path` in plain data, or undefined when the path does not exist. */
export function valueAt(data: unknown, path: FieldPath): unknown {
  let v = data;
  for (const seg of path) {
    if (typeof v !== "object" || v === null || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** subjectOf names what a path concerns: `stack/NAME`, plus `app/NAME` for paths inside an application. */
export function subjectOf(data: unknown, path: FieldPath): string | undefined {
  const name = valueAt(data, ["metadata", "name"]);
  if (typeof name !== "string") return undefined;
  if (path[0] === "spec" && path[1] === "applications" && typeof path[2] === "number") {
    const app = valueAt(data, ["spec", "applications", path[2], "name"]);
    if (typeof app === "string") return `stack/${name} app/${app}`;
  }
  return `stack/${name}`;
}

const EXPECTED: Record<string, string> = { object: "a mapping", array: "a list", int: "an integer", number: "a number", string: "a string", boolean: "a boolean" };
const expectedText = (e: string) => EXPECTED[e] ?? e;

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "number" && !Number.isInteger(v)) return `the number ${v}`;
  return `${typeof v === "boolean" ? "a boolean" : typeof v === "number" ? "a number" : typeof v === "string" ? "a string" : typeof v}`;
}

function shown(v: unknown): string {
  if (typeof v === "object" && v !== null) return typeName(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

// Picks the union variant the user most likely meant: one whose type matched, with the fewest issues.
function flatten(issue: Issue, data: unknown): Issue[] {
  if (issue.code !== "invalid_union") return [issue];
  const branches = issue.errors.map((branch) => branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue));
  const typed = branches.filter((b) => !b.some((i) => i.code === "invalid_type" && i.path.length === issue.path.length));
  if (typed.length === 0) {
    const expected = [...new Set(branches.flat().filter((i) => i.code === "invalid_type").map((i) => (i.code === "invalid_type" ? i.expected : "")))];
    const list = expected.map(expectedText);
    const text = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list.at(-1)}` : (list[0] ?? "another value");
    return [{ code: "invalid_type", expected: "unknown", path: issue.path, message: `expected ${text}, got ${typeName(valueAt(data, issue.path))}`, input: undefined } as Issue];
  }
  typed.sort((a, b) => a.length - b.length);
  return typed[0]!.flatMap((i) => flatten(i, data));
}

function rangeText(issue: Issue & { code: "too_small" | "too_big" }): string {
  const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
  const word = issue.code === "too_small" ? "at least" : "at most";
  const exclusive = issue.inclusive === false;
  const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
  if (exclusive) return `expected ${issue.code === "too_small" ? "more" : "less"} than ${String(bound)}${unit}`;
  return `expected ${word} ${String(bound)}${unit}`;
}

function describe(issue: Issue, data: unknown): { code: ErrorCode; message: string } {
  const found = valueAt(data, issue.path);
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "unknown") return { code: "schema.invalid-type", message: issue.message };
      if (found === undefined) return { code: "schema.missing-field", message: `missing required field "${String(issue.path.at(-1))}" (${expectedText(issue.expected)})` };
      return { code: "schema.invalid-type", message: `expected ${expectedText(issue.expected)}, got ${typeName(found)}` };
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v));
      if (found === undefined) return { code: "schema.missing-field", message: `missing required field "${String(issue.path.at(-1))}" (${values.join(" or ")})` };
      const guess = typeof found === "string" ? didYouMean(found, issue.values.filter((v) => typeof v === "string")) : undefined;
      const hint = guess ? ` (did you mean "${guess}"?)` : "";
      return { code: "schema.invalid-value", message: `expected ${values.length === 1 ? values[0] : `one of ${values.join(", ")}`}, got ${shown(found)}${hint}` };
    }
    case "invalid_format":
      return { code: "schema.invalid-format", message: `${issue.message}, got ${shown(found)}` };
    case "too_small":
    case "too_big":
      return { code: "schema.out-of-range", message: `${rangeText(issue)}, got ${typeof found === "number" ? found : Array.isArray(found) ? `${found.length} items` : shown(found)}` };
    case "invalid_key":
      return { code: "schema.invalid-key", message: `invalid key ${JSON.stringify(String(issue.path.at(-1)))}: ${issue.issues[0]?.message ?? issue.message}` };
    case "custom": {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return { code: typeof code === "string" && code in ERROR_CODES ? (code as ErrorCode) : "schema.invalid", message: issue.message };
    }
    default:
      return { code: "schema.invalid", message: issue.message };
  }
}

/** issuesToErrors converts the issues of one failed `StackSchema.safeParse` into errors for that document. */
export function issuesToErrors(issues: readonly Issue[], ctx: IssueContext): ManifestError[] {
  const errors: ManifestError[] = [];
  const suggested = new Set<string>();
  const flat = issues.flatMap((i) => flatten(i, ctx.data));
  for (const issue of flat) {
    if (issue.code !== "unrecognized_keys") continue;
    const allowed = keysAt(StackSchema, issue.path);
    for (const key of issue.keys) {
      const path = [...issue.path, key];
      const guess = didYouMean(key, allowed);
      if (guess) suggested.add(formatPath([...issue.path, guess]));
      const hint = guess ? ` (did you mean "${guess}"?)` : allowed.length ? `; allowed here: ${allowed.join(", ")}` : "";
      errors.push(makeError("schema.unknown-field", `unknown field "${key}"${hint}`, path, true, ctx));
    }
  }
  for (const issue of flat) {
    if (issue.code === "unrecognized_keys") continue;
    const { code, message } = describe(issue, ctx.data);
    // "missing name" next to "unknown field nmae (did you mean name?)" says the same thing twice.
    if (code === "schema.missing-field" && suggested.has(formatPath(issue.path))) continue;
    errors.push(makeError(code, message, issue.path, issue.code === "invalid_key", ctx));
  }
  return errors;
}

function makeError(code: ErrorCode, message: string, path: FieldPath, key: boolean, ctx: IssueContext): ManifestError {
  const error: ManifestError = { code, file: ctx.file, ...ctx.locate(path, key), path: formatPath(path), message };
  const subject = subjectOf(ctx.data, path);
  if (subject) error.subject = subject;
  return error;
}
