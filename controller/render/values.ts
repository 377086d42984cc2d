/**
 * Field diffs for people: a FieldChange's before and after turned into lines, with nested objects diffed key by
 * key, lists of objects element by element (matched by their identity, e.g. a volume's mountPath), and numbers in
 * the manifest's own units (`memory: 4Gi`, `interval: 30s`). Pure and format-neutral: text and markdown print
 * the same lines. Values arrive already masked by plan(); the mask is printed as it is.
 */
import { deepEqual } from "../plan/diff.ts";
import type { FieldChange } from "../plan/types.ts";
import { HIDDEN_CHANGED } from "../model.ts";
import { SECRET_MASK, SERVER_VALUE_HIDDEN } from "../plan/types.ts";

/** One printable line of a field diff: `+` added, `-` removed, `~` changed. `before`/`after` are display strings. */
export interface FieldLine {
  sign: "+" | "-" | "~";
  path: string;
  before?: string;
  after?: string;
}

/** Keys that identify an element of a list of objects, in order of preference. */
const IDENTITY_KEYS = ["mountPath", "name", "host", "key", "id"] as const;

/** fieldLines turns one field change into display lines, empty when nothing differs. */
export function fieldLines(change: FieldChange): FieldLine[] {
  const out: FieldLine[] = [];
  const path = displayPath(change.field);
  diffValue(path, change.field, change.before, change.after, out);
  // plan() compared the real values; when only masked parts differ, the masked values look equal: say so anyway.
  if (out.length === 0) out.push({ sign: "~", path, before: SECRET_MASK, after: SECRET_MASK });
  return out;
}

/** formatFieldLine prints a line as `path: before → after`, `path: value` (added) or `path: value → (removed)`. */
export function formatFieldLine(line: FieldLine): string {
  if (line.sign === "+") return `${line.path}: ${line.after}`;
  if (line.sign === "-") return `${line.path}: ${line.before} → (removed)`;
  return `${line.path}: ${line.before} → ${line.after}`;
}

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function diffValue(path: string, key: string, before: unknown, after: unknown, out: FieldLine[]): void {
  if (isAbsent(before) && isAbsent(after)) return;
  if (deepEqual(before, after)) return;
  if (isObject(after) && (isObject(before) || isAbsent(before))) return diffObject(path, isObject(before) ? before : {}, after, out);
  if (isObject(before) && isAbsent(after)) return diffObject(path, before, {}, out);
  if (isObjectList(before) && isObjectList(after)) return diffObjectList(path, (before as unknown[] | null) ?? [], (after as unknown[] | null) ?? [], out);
  if (isAbsent(before)) return void out.push({ sign: "+", path, after: formatValue(key, after) });
  if (isAbsent(after)) return void out.push({ sign: "-", path, before: formatValue(key, before) });
  out.push({ sign: "~", path, before: formatValue(key, before), after: formatValue(key, after) });
}

function diffObject(path: string, before: Record<string, unknown>, after: Record<string, unknown>, out: FieldLine[]): void {
  const keys = [...Object.keys(after), ...Object.keys(before).filter((k) => !(k in after))];
  for (const key of keys) diffValue(`${path}.${displayKey(key)}`, key, before[key], after[key], out);
}

/** A list whose elements are all objects (or an absent list): diffed element by element. */
function isObjectList(value: unknown): boolean {
  if (isAbsent(value)) return true;
  return Array.isArray(value) && value.every(isObject);
}

function diffObjectList(path: string, before: unknown[], after: unknown[], out: FieldLine[]): void {
  if (before.length === 0 && after.length === 0) return;
  const idOf = identity([...before, ...after] as Record<string, unknown>[]);
  const old = new Map(before.map((e, i) => [idOf(e as Record<string, unknown>, i), e as Record<string, unknown>]));
  const now = new Map(after.map((e, i) => [idOf(e as Record<string, unknown>, i), e as Record<string, unknown>]));
  for (const [id, element] of old) {
    if (!now.has(id)) out.push({ sign: "-", path: `${path}[${id}]`, before: formatValue("", element) });
  }
  for (const [id, element] of now) {
    const previous = old.get(id);
    if (previous === undefined) out.push({ sign: "+", path: `${path}[${id}]`, after: formatValue("", element) });
    else diffObject(`${path}[${id}]`, previous, element, out);
  }
}

/** The identity of list elements: the first key every element has, else the position. */
function identity(elements: Record<string, unknown>[]): (element: Record<string, unknown>, index: number) => string {
  const key = IDENTITY_KEYS.find((k) => elements.every((e) => typeof e[k] === "string" || typeof e[k] === "number"));
  return key === undefined ? (_e, i) => String(i) : (e) => String(e[key]);
}

/** The path of a model field as the manifest names it. */
export function displayPath(field: string): string {
  return field.split(".").map((part, i) => (i === 0 ? displayKey(part) : part)).join(".");
}

/** `memoryBytes` → `memory`, `intervalMs` → `interval`: the manifest's names for the model's normalised fields. */
function displayKey(key: string): string {
  if (key === "memoryBytes") return "memory";
  if (key.endsWith("Ms") && key.length > 2) return key.slice(0, -2);
  return key;
}

/** formatValue prints a value in the manifest's units: sizes as `4Gi`, durations as `1m30s`, strings quoted. */
export function formatValue(key: string, value: unknown): string {
  if (value === SECRET_MASK || value === SERVER_VALUE_HIDDEN || value === HIDDEN_CHANGED) return value;
  if (isAbsent(value)) return "(none)";
  if (typeof value === "number" && key === "memoryBytes") return formatBytes(value);
  if (typeof value === "number" && key.endsWith("Ms") && key.length > 2) return formatDuration(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatValue("", v)).join(", ")}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
    return `{${entries.map(([k, v]) => `${displayKey(k)}: ${formatValue(k, v)}`).join(", ")}}`;
  }
  return String(value);
}

const BINARY_UNITS = [["Ti", 1024 ** 4], ["Gi", 1024 ** 3], ["Mi", 1024 ** 2], ["Ki", 1024]] as const;

/** formatBytes prints a size with the largest binary unit that divides it (`8589934592` → `8Gi`), else in bytes. */
export function formatBytes(bytes: number): string {
  for (const [unit, factor] of BINARY_UNITS) if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  for (const [unit, factor] of BINARY_UNITS) if (bytes >= factor) return `${Number((bytes / factor).toFixed(2))}${unit}`;
  return String(bytes);
}

const DURATION_UNITS = [["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const;

/** formatDuration prints milliseconds as the manifest writes durations: `90000` → `1m30s`, `250` → `250ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.round(ms);
  let text = "";
  for (const [unit, factor] of DURATION_UNITS) {
    const n = Math.floor(rest / factor);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * factor;
  }
  return text;
}
