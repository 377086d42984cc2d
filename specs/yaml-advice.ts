/**
 * Advice for the YAML mistakes people actually make in manifests: a key indented more or less than its siblings,
 * and a second `key: value` on the line of a key (`TOKEN: secret: API_TOKEN`). The `yaml` library reports these
 * as "Nested mappings are not allowed in compact mappings" or "All mapping items must start at the same column",
 * at a spot next to the mistake and followed by cascading errors; this module names the offending line, says what
 * is wrong and how to write it. It reads only the text around the error, so it costs nothing on valid files.
 */

/** One piece of advice: where the mistake is (an offset in the text), its code and what to write instead. */
export interface YamlAdvice {
  offset: number;
  /**
   * Where the field path comes from: the offset of a well-parsed key next to the mistake (`siblingOffset`), whose
   * last path segment is replaced by `key`; the broken node itself has no trustworthy path.
   */
  siblingOffset: number;
  key: string | undefined;
  code: "yaml.indentation" | "yaml.inline-mapping";
  message: string;
}

/** A line of the text: where it starts and the position of its first key (after any `- ` item markers). */
interface LineInfo {
  start: number;
  text: string;
  /** 0-based column of the first key or value on the line; -1 for a blank or comment-only line. */
  column: number;
  key: string | undefined;
}

const KEY = /^(?:-\s+)*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"\-[{][^#]*?|-[^\s#][^#]*?)\s*:(?:\s|$)/;

function lineAt(text: string, offset: number): LineInfo {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  return info(text, start, end === -1 ? text.length : end);
}

function info(text: string, start: number, end: number): LineInfo {
  const line = text.slice(start, end).replace(/\r$/, "");
  const indent = line.length - line.trimStart().length;
  const content = line.slice(indent);
  if (content === "" || content.startsWith("#")) return { start, text: line, column: -1, key: undefined };
  const items = /^(?:-\s+)*/.exec(content)![0].length;
  const key = KEY.exec(content)?.[1];
  return { start, text: line, column: indent + items, key: key?.replace(/^["']|["']$/g, "") };
}

/** The nearest line before (`step` -1) or after (+1) `from` that holds something other than a comment. */
function contentLine(text: string, from: LineInfo, step: -1 | 1): LineInfo | undefined {
  let start = from.start;
  for (;;) {
    if (step === -1) {
      if (start === 0) return undefined;
      start = text.lastIndexOf("\n", start - 2) + 1;
    } else {
      const newline = text.indexOf("\n", start);
      if (newline === -1) return undefined;
      start = newline + 1;
    }
    const end = text.indexOf("\n", start);
    const line = info(text, start, end === -1 ? text.length : end);
    if (line.column >= 0) return line;
  }
}

function lineNumber(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

const named = (l: LineInfo) => (l.key === undefined ? `the item` : `"${l.key}"`);
const stripComment = (s: string) => s.replace(/\s+#.*$/, "").trimEnd();

/**
 * adviseYamlError turns the first error of a document (the `yaml` library's code and offset) into advice, or
 * returns undefined when it is not a mistake this module knows; the caller then reports the library's own text.
 */
export function adviseYamlError(code: string, offset: number, text: string): YamlAdvice | undefined {
  if (code === "BLOCK_AS_IMPLICIT_KEY") return inlineMapping(offset, text) ?? overIndented(offset, text);
  if (code === "BAD_INDENT" || code === "MISSING_CHAR") return underIndented(offset, text);
  return undefined;
}

/** `KEY: secret: X`: a mapping written on the line of its key. */
function inlineMapping(offset: number, text: string): YamlAdvice | undefined {
  const line = lineAt(text, offset);
  const value = stripComment(line.text.slice(offset - line.start));
  const inner = KEY.exec(value)?.[1];
  if (inner === undefined || value.startsWith("-")) return undefined;
  const before = /([^\s\-][^:]*?)\s*:\s*$/.exec(line.text.slice(0, offset - line.start));
  const outer = before?.[1];
  if (!before || outer === undefined) return undefined;
  const written = `${outer}: ${value}`;
  const message = inner === "secret"
    ? `"${written}" puts a mapping on the line of its key, which YAML does not allow: write ${outer}: { ${value} } (a secret reference is a mapping)`
    : `"${written}" has a second "key: value" on the line of "${outer}", which YAML does not allow: write ${outer}: { ${value} } for a mapping, or quote the text: ${outer}: "${value.replace(/"/g, '\\"')}"`;
  return { offset, siblingOffset: line.start + before.index, key: outer, code: "yaml.inline-mapping", message };
}

/** A key indented deeper than the key above it, whose value is already on its own line. */
function overIndented(offset: number, text: string): YamlAdvice | undefined {
  const above = lineAt(text, offset);
  const below = contentLine(text, above, 1);
  if (!below || above.column < 0 || below.column <= above.column) return undefined;
  const message = `${named(below)} is indented more than "${above.key ?? above.text.trim()}" on line ${lineNumber(text, above.start)} (column ${below.column + 1}, not ${above.column + 1}); `
    + `"${above.key}" already has a value on its line, so nothing can be nested under it: start ${named(below)} in column ${above.column + 1}, like the keys above it`;
  return { offset: below.start + below.column, siblingOffset: above.start + above.column, key: below.key, code: "yaml.indentation", message };
}

/** A key indented less than the key above it (but more than the mapping that holds them). */
function underIndented(offset: number, text: string): YamlAdvice | undefined {
  // The offset may fall on a blank line before the offending one.
  const at = lineAt(text, offset);
  const line = at.column >= 0 ? at : contentLine(text, at, 1);
  const above = line ? contentLine(text, line, -1) : undefined;
  if (!line) return undefined;
  if (!above || above.column <= line.column) return undefined;
  let outer: LineInfo | undefined = above;
  while (outer && outer.column >= line.column) outer = contentLine(text, outer, -1);
  const alternative = outer?.key !== undefined ? `, or to column ${outer.column + 1} if it belongs with "${outer.key}" on line ${lineNumber(text, outer.start)}` : "";
  const message = `${named(line)} starts in column ${line.column + 1}, but ${named(above)} on line ${lineNumber(text, above.start)} starts in column ${above.column + 1}: `
    + `the keys of one mapping must start in the same column; move ${named(line)} to column ${above.column + 1}${alternative}`;
  return { offset: line.start + line.column, siblingOffset: above.start + above.column, key: line.key, code: "yaml.indentation", message };
}
