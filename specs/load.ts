/**
 * Loading manifests: sources → text → YAML documents → the zod model → defaults → cross-manifest rules. Every
 * problem of every file is collected; nothing stops at the first error. This is what `stackctl validate` prints
 * and what the controller calls before planning.
 */
import { isScalar } from "yaml";
import type { Document } from "yaml";
import type { FieldPath, ManifestError, Note } from "./errors.ts";
import { formatPath } from "./errors.ts";
import { classify } from "./classify.ts";
import { issuesToErrors, subjectOf } from "./issues.ts";
import type { LoadedStack, LoadResult } from "./loaded.ts";
import { STACK_KIND, StackSchema } from "./model.ts";
import { normalizeStack } from "./normalize.ts";
import { checkRules } from "./rules.ts";
import { didYouMean } from "./suggest.ts";
import type { ReadOptions, Source } from "./sources.ts";
import { MAX_FILE_BYTES, readSources } from "./sources.ts";
import { decodeText, Lines } from "./text.ts";
import { locate, parseDocuments, pathAt, stringAt, toValue } from "./yaml.ts";
import { adviseYamlError } from "./yaml-advice.ts";

export type { LoadedStack, LoadResult } from "./loaded.ts";

/** Options of `loadManifests`: where to read from (see `ReadOptions`). */
export type LoadOptions = ReadOptions;

/**
 * loadManifests reads `paths` (files, directories searched for `.yaml`/`.yml`, `-` for stdin) and validates every
 * Stack document in them. It never throws for bad input: unreadable paths, bad YAML and invalid manifests all
 * become errors of the result.
 */
export async function loadManifests(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const read = await readSources(paths, options);
  const result = loadSources(read.sources, options);
  result.errors.unshift(...read.errors);
  result.failedFiles = [...new Set([...read.errors.map((e) => e.file), ...result.failedFiles])];
  return result;
}

/** State gathered while documents are checked one by one. */
interface Acc {
  stacks: LoadedStack[];
  errors: ManifestError[];
  notes: Note[];
  failedNames: Set<string>;
}

/** loadSources validates sources already in memory (the benchmark and tests use it; `loadManifests` too). */
export function loadSources(sources: readonly Source[], options: { maxFileBytes?: number } = {}): LoadResult {
  const acc: Acc = { stacks: [], errors: [], notes: [], failedNames: new Set() };
  for (const source of sources) loadSource(source, options.maxFileBytes ?? MAX_FILE_BYTES, acc);
  const rules = checkRules(acc.stacks, { failedStackNames: acc.failedNames });
  for (const e of rules) if (e.subject) acc.failedNames.add(e.subject.split(" ")[0]!.slice("stack/".length));
  const order = new Map(sources.map((s, i) => [s.file, i]));
  const errors = [...acc.errors, ...rules].sort(
    (a, b) => (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1) || a.line - b.line || a.column - b.column,
  );
  return {
    files: sources.map((s) => s.file),
    stacks: acc.stacks,
    errors,
    notes: acc.notes,
    failedStackNames: [...acc.failedNames].sort(),
    failedFiles: [...new Set(errors.map((e) => e.file))],
  };
}

// GitHub's own files (workflows, issue forms) are clearly something else, even when named explicitly.
const GITHUB_DIR = /(^|[\\/])\.github[\\/]/;

function loadSource(source: Source, maxBytes: number, acc: Acc): void {
  if (GITHUB_DIR.test(source.file)) {
    acc.notes.push({ code: "skipped.other-kind", file: source.file, line: 0, column: 0, message: "skipped a GitHub file (under .github/): not a stackctl manifest" });
    return;
  }
  const decoded = decodeText(source.file, source.bytes, maxBytes);
  if (decoded.error) {
    acc.errors.push(decoded.error);
    return;
  }
  const text = decoded.text;
  const lines = new Lines(text);
  // Valid stacks keep a position lookup for the rules' errors. Holding every AST until then would cost more in
  // garbage collection than parsing once more the rare file that needs a position, so the ASTs are dropped.
  let docs: Document[] | undefined = parseDocuments(text);
  const locator = (docIndex: number) => (path: FieldPath, key = false) => locate((docs ??= parseDocuments(text))[docIndex]!, lines, path, key);
  let used = 0;
  docs.forEach((doc, docIndex) => {
    if (isEmpty(doc)) return;
    used++;
    loadDocument(source.file, doc, docIndex, locator(docIndex), lines, text, acc);
  });
  docs = undefined;
  if (used === 0) {
    acc.errors.push({ code: "input.empty", file: source.file, line: 0, column: 0, path: "", message: "file holds no YAML document (it is empty or only comments)" });
  }
}

// Syntax errors cascade: past this many in one document, the rest are counted rather than listed.
const MAX_YAML_ERRORS = 10;

function yamlErrors(file: string, doc: Document, lines: Lines, text: string): ManifestError[] {
  // Over-deep input makes the parser report one exhaustion per level plus the unclosed brackets: the first says it all.
  const exhausted = doc.errors.find((e) => e.code === "RESOURCE_EXHAUSTION");
  // A known mistake (a key out of line, a mapping on its key's line) is told as advice; what follows it cascades.
  const first = doc.errors[0];
  const advice = !exhausted && first ? adviseYamlError(first.code, first.pos[0], text) : undefined;
  if (advice) {
    const sibling = pathAt(doc, advice.siblingOffset);
    const path = advice.key === undefined ? sibling.slice(0, -1) : [...sibling.slice(0, -1), advice.key];
    return [{ code: advice.code, file, ...lines.position(advice.offset), path: formatPath(path), message: advice.message }];
  }
  const shown = exhausted ? [exhausted] : doc.errors.slice(0, MAX_YAML_ERRORS);
  const errors = shown.map((e): ManifestError => {
    const code = exhausted ? "yaml.too-deep" : e.code === "DUPLICATE_KEY" ? "yaml.duplicate-key" : "yaml.syntax";
    const path = formatPath(pathAt(doc, e.pos[0]));
    const message = exhausted
      ? "document is nested too deeply to parse"
      : code === "yaml.duplicate-key"
        ? `duplicate key: ${path === "" ? "a key" : `"${path}"`} is already defined in this mapping`
        : e.message;
    return { code, file, ...lines.position(e.pos[0]), path, message };
  });
  const hidden = exhausted ? 0 : doc.errors.length - shown.length;
  if (hidden > 0) errors.at(-1)!.message += ` (and ${hidden} more YAML errors in this document)`;
  return errors;
}

// Names the Stack of a document that failed, when its name can still be read, and attributes the errors to it.
function failedName(doc: Document, errors: ManifestError[], acc: Acc): void {
  const kind = stringAt(doc, ["kind"]);
  const name = stringAt(doc, ["metadata", "name"]);
  if (name === undefined || (kind !== undefined && didYouMean(kind, [STACK_KIND]) === undefined)) return;
  acc.failedNames.add(name);
  for (const e of errors) e.subject ??= `stack/${name}`;
}

type Locate = LoadedStack["locate"];

// A document with nothing but comments, or a bare `---`, parses as null: it is no manifest and no error either.
function isEmpty(doc: Document): boolean {
  if (doc.errors.length > 0) return false;
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && c.source === "" && !c.tag && !c.anchor);
}

function loadDocument(file: string, doc: Document, docIndex: number, where: Locate, lines: Lines, text: string, acc: Acc): void {
  for (const w of doc.warnings) acc.notes.push({ code: "yaml.warning", file, ...lines.position(w.pos[0]), message: w.message });
  if (doc.errors.length > 0) {
    const errors = yamlErrors(file, doc, lines, text);
    failedName(doc, errors, acc);
    acc.errors.push(...errors);
    return;
  }
  const converted = toValue(doc);
  if (converted.error) {
    const message = converted.error === "alias-limit"
      ? "too many alias expansions: the document looks like a YAML alias bomb (the limit is 100)"
      : "document is nested deeper than 64 levels";
    const error: ManifestError = { code: `yaml.${converted.error}`, file, ...where(converted.path), path: formatPath(converted.path), message };
    failedName(doc, [error], acc);
    acc.errors.push(error);
    return;
  }
  const data = converted.value;
  const kind = classify(data);
  if (kind.note) {
    acc.notes.push({ code: kind.note, file, ...where([]), message: kind.message });
    return;
  }
  if (kind.error) {
    const error: ManifestError = { code: kind.error, file, ...where(kind.path), path: formatPath(kind.path), message: kind.message };
    const subject = subjectOf(data, kind.path);
    if (subject) error.subject = subject;
    failedName(doc, [error], acc);
    acc.errors.push(error);
    return;
  }
  const parsed = StackSchema.safeParse(data);
  if (!parsed.success) {
    const errors = issuesToErrors(parsed.error.issues, { file, data, locate: where });
    failedName(doc, errors, acc);
    acc.errors.push(...errors);
    return;
  }
  acc.stacks.push({ file, docIndex, stack: normalizeStack(parsed.data), locate: where });
}
