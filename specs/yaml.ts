/**
 * YAML parsing with the guards untrusted input needs, and lookups from field paths to source positions. Positions
 * are only computed when an error needs one, so that valid manifests cost no more than parsing them.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { Document, Node, Pair } from "yaml";
import type { FieldPath, Position } from "./errors.ts";
import type { Lines } from "./text.ts";

/** Alias expansions allowed per document; more is a "billion laughs" bomb. */
export const MAX_ALIAS_COUNT = 100;
/** Nesting depth allowed in a document; a Stack needs fewer than ten levels. */
export const MAX_DEPTH = 64;

/**
 * parseDocuments parses every document of a YAML stream. Duplicate keys are errors (`uniqueKeys`), merge keys
 * (`<<`) are honoured, and the parser's own recursion guard reports over-deep input as RESOURCE_EXHAUSTION.
 */
export function parseDocuments(text: string): Document[] {
  return parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, merge: true });
}

/** The outcome of turning a document into plain data. */
export type ToJSResult = { value: unknown; error?: undefined } | { value?: undefined; error: "alias-limit" | "too-deep"; path: FieldPath };

/** toValue converts a parsed document to plain data, refusing alias bombs and documents deeper than MAX_DEPTH. */
export function toValue(doc: Document): ToJSResult {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof RangeError) return { error: "too-deep", path: [] };
    if (err instanceof ReferenceError && /alias/i.test(err.message)) return { error: "alias-limit", path: [] };
    throw err;
  }
  const deep = tooDeep(value, 0);
  return deep ? { error: "too-deep", path: deep } : { value };
}

// Returns the path of the first node deeper than MAX_DEPTH; recursion stops there, so it is bounded (and cycles
// made with anchors end too).
function tooDeep(value: unknown, depth: number): (string | number)[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (depth >= MAX_DEPTH) return [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const below = tooDeep(value[i], depth + 1);
      if (below) return [i, ...below];
    }
    return undefined;
  }
  for (const key in value) {
    const below = tooDeep((value as Record<string, unknown>)[key], depth + 1);
    if (below) return [key, ...below];
  }
  return undefined;
}

function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" || typeof key === "number" ? String(key) : undefined;
}

function startOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

/**
 * locate finds the source position of the node at `path`: the key itself when `key` is true (for an unknown
 * field), else the value. A path that does not exist (a missing field) yields its nearest existing ancestor.
 */
export function locate(doc: Document, lines: Lines, path: FieldPath, key = false): Position {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const seg = path[i]!;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p) === String(seg));
      if (!pair) break;
      if (key && i === path.length - 1) {
        offset = startOf(pair.key) ?? offset;
        break;
      }
      next = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === "number") {
      next = node.items[seg];
    }
    const start = startOf(next);
    if (start === undefined) break;
    node = next;
    offset = start;
  }
  return lines.position(offset);
}

/** pathAt returns the field path of the deepest node whose source range holds `offset` (for YAML errors). */
export function pathAt(doc: Document, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        const from = startOf(pair.key) ?? startOf(pair.value);
        const to = (pair.value as Node | null)?.range?.[2] ?? (pair.key as Node | null)?.range?.[2];
        if (from !== undefined && to !== undefined && offset >= from && offset < Math.max(to, from + 1)) {
          path.push(keyText(pair) ?? "?");
          next = offset < ((pair.key as Node | null)?.range?.[2] ?? 0) ? undefined : pair.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const range = (item as Node | null)?.range;
        if (range && offset >= range[0] && offset < range[2]) {
          path.push(i);
          next = item;
        }
      });
    }
    if (next === undefined) return path;
    node = next;
  }
}

/** The value at `path` in a document's AST when it is a string (to name a stack whose document failed). */
export function stringAt(doc: Document, path: FieldPath): string | undefined {
  try {
    const value = doc.getIn(path);
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
