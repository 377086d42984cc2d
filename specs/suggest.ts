/**
 * "Did you mean" suggestions: edit distance against the keys the zod model allows at a path. The keys come from
 * the schema itself, so a field added to the model is suggested without touching this file.
 */
import type { z } from "zod";
import type { FieldPath } from "./errors.ts";

type Schema = z.core.$ZodType;
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  in?: Schema;
  options?: Schema[];
  element?: Schema;
  valueType?: Schema;
}

const defOf = (schema: Schema): Def => schema._zod.def as unknown as Def;

// Strips wrappers (optional, default, pipe, ...) and expands unions into the schemas a value may match.
function candidates(schema: Schema): Schema[] {
  const def = defOf(schema);
  const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
  if (inner) return candidates(inner);
  if (def.type === "union" && def.options) return def.options.flatMap(candidates);
  return [schema];
}

function children(schema: Schema, seg: PropertyKey): Schema[] {
  const def = defOf(schema);
  if (def.type === "object" && typeof seg === "string") return def.shape?.[seg] ? [def.shape[seg]] : [];
  if (def.type === "array" && typeof seg === "number" && def.element) return [def.element];
  if (def.type === "record" && def.valueType) return [def.valueType];
  return [];
}

/** keysAt lists the field names the schema allows in the object at `path` (all variants of a union). */
export function keysAt(root: Schema, path: FieldPath): string[] {
  let level = candidates(root);
  for (const seg of path) level = level.flatMap((s) => children(s, seg)).flatMap(candidates);
  const keys = new Set<string>();
  for (const s of level) {
    const def = defOf(s);
    if (def.type === "object" && def.shape) for (const k of Object.keys(def.shape)) keys.add(k);
  }
  return [...keys];
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("domian" → "domain" is 1). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * didYouMean returns the closest of `options` to `word`, or undefined when none is close: within a third of the
 * longer word's length (at least 1, and 2 for words of 4 or more), case differences counting as one edit.
 */
export function didYouMean(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  if (word.length > 100) return undefined;
  for (const option of options) {
    const d = option.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word.toLowerCase(), option.toLowerCase());
    const limit = Math.max(word.length >= 4 ? 2 : 1, Math.floor(Math.max(word.length, option.length) / 3));
    if (d <= limit && d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}
