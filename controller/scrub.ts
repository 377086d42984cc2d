/**
 * The one scrubber of a process (issue #9, "errors are scrubbed by value"). Whatever produced a string — a server's
 * 400 that echoes the request body, a Git error, a deployment log — it is scrubbed of every secret value resolved in
 * the run and of every credential before it leaves the process.
 *
 * How to use it:
 * - `cmd/` creates one per process (`createScrubber()`), registers every credential it resolves (`add`), and wraps the
 *   secret resolver with `scrubbingResolver`, so every `{ secret: NAME }` value is registered as it is resolved.
 * - Everything that leaves passes through it: `scrub.text(s)` for a string (CLI output, a PR comment, a commit
 *   status, a log tail), `scrub.deep(v)` for a JSON-like value (status, state file, API bodies). The logger takes it
 *   (`createLogger({ scrub })`) and scrubs every line, in both formats. The controller's handlers find it in
 *   `LoopContext.scrub`; the CLI verbs in `Prepared.scrub` (and their `io` is already wrapped).
 * - Scrubbing is by value, not by field name: it cannot be fooled by a message that moved a secret into free text.
 *   Values shorter than MIN_SECRET_LENGTH are not scrubbed (they would shred ordinary words); besides the raw value,
 *   its JSON-escaped and URL-encoded forms are replaced, and so is the user-info of any URL (`https://u:p@h`).
 */

/** The text that replaces a scrubbed value. */
export const SCRUBBED = "[redacted]";

/** Values shorter than this are not scrubbed: `on`, `443`, `yes` would otherwise vanish from every message. */
export const MIN_SECRET_LENGTH = 4;

/** A process's scrubber; see the file comment for how to use it. */
export interface Scrubber {
  /** add registers secret values (undefined, empty and short values are ignored); later scrubs remove them. */
  add(...values: (string | undefined | null)[]): void;
  /** text returns `s` with every registered value, and URL user-info, replaced by SCRUBBED. */
  text(s: string): string;
  /** deep returns a copy of a JSON-like value with every string (and object key) scrubbed; other values kept. */
  deep<T>(value: T): T;
  /** size is the number of registered values (tests, diagnostics). */
  readonly size: number;
}

/** createScrubber returns an empty scrubber, optionally seeded with `values`. */
export function createScrubber(values: readonly (string | undefined | null)[] = []): Scrubber {
  // Known values by their first MIN_SECRET_LENGTH characters, longest first in each bucket: a scan tries only the
  // values that can start at a position, so 20,000 secrets cost no more per line than a few (no giant regex).
  const prefixes: Prefixes = { index: new Map(), longest: 0, size: 0 };

  const scrubber: Scrubber = {
    add(...vals) {
      for (const v of vals) {
        if (typeof v !== "string" || v.length < MIN_SECRET_LENGTH) continue;
        for (const form of formsOf(v)) if (form.length >= MIN_SECRET_LENGTH) remember(prefixes, form);
      }
    },
    text(s) {
      if (typeof s !== "string" || s === "") return s;
      const out = prefixes.size > 0 ? replaceKnown(s, prefixes) : s;
      return scrubUrlUserInfo(out.includes(ELLIPSIS) && prefixes.size > 0 ? scrubCutValues(out, prefixes) : out);
    },
    deep<T>(value: T): T {
      return deepMap(value, (s) => scrubber.text(s)) as T;
    },
    get size() {
      return prefixes.size;
    },
  };
  scrubber.add(...values);
  return scrubber;
}

/** A resolver of `{ secret: NAME }` values (the shape of controller/secrets.ts's SecretResolver). */
type Resolver = (name: string) => string | undefined;

/** scrubbingResolver wraps a secret resolver so that every value it returns is registered with `scrub`. */
export function scrubbingResolver<R extends Resolver>(resolve: R, scrub: Scrubber): R {
  return ((name: string) => {
    const value = resolve(name);
    scrub.add(value);
    return value;
  }) as R;
}

/**
 * scrubUrlUserInfo replaces the user-info of every URL (`scheme://user:pass@host` → `scheme://[redacted]@host`).
 * The user-info ends at the last `@` before the host, so a password containing `@` is removed whole.
 */
export function scrubUrlUserInfo(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@(?=[^/?#\s@]*(?:[/?#\s]|$))/gi, `$1${SCRUBBED}@`);
}

const ELLIPSIS = "…";

/**
 * Known values by their first MIN_SECRET_LENGTH characters, then by length: finding the values that start at a
 * position costs one lookup per distinct length, however many values share a prefix (`ghp_`, `sk-…`).
 */
type Bucket = { lengths: number[]; byLength: Map<number, Set<string>> };
type Prefixes = { index: Map<string, Bucket>; longest: number; size: number };

function remember(p: Prefixes, value: string): void {
  const key = value.slice(0, MIN_SECRET_LENGTH);
  let bucket = p.index.get(key);
  if (!bucket) p.index.set(key, (bucket = { lengths: [], byLength: new Map() }));
  let same = bucket.byLength.get(value.length);
  if (!same) {
    bucket.byLength.set(value.length, (same = new Set()));
    bucket.lengths.push(value.length);
    bucket.lengths.sort((a, b) => b - a);
  }
  if (same.has(value)) return;
  same.add(value);
  p.longest = Math.max(p.longest, value.length);
  p.size += 1;
}

/** knownAt is the longest known value starting at `i` in `s`, or undefined. */
function knownAt(s: string, i: number, p: Prefixes): string | undefined {
  const bucket = p.index.get(s.slice(i, i + MIN_SECRET_LENGTH));
  if (!bucket) return undefined;
  for (const length of bucket.lengths) {
    const candidate = s.slice(i, i + length);
    if (candidate.length === length && bucket.byLength.get(length)!.has(candidate)) return candidate;
  }
  return undefined;
}

/** replaceKnown replaces every known value in `s`, scanning left to right and taking the longest value at a position. */
function replaceKnown(s: string, p: Prefixes): string {
  let out = "";
  let last = 0;
  for (let i = 0; i <= s.length - MIN_SECRET_LENGTH; ) {
    const hit = knownAt(s, i, p);
    if (hit === undefined) {
      i++;
      continue;
    }
    out += `${s.slice(last, i)}${SCRUBBED}`;
    i += hit.length;
    last = i;
  }
  return last === 0 ? s : out + s.slice(last);
}

/**
 * A message cut short (`…`, as provider errors are at 300 characters) may end inside a value: the longest start of a
 * known value right before the ellipsis is replaced too.
 */
function scrubCutValues(text: string, prefixes: Prefixes): string {
  return text.replace(new RegExp(`([^${ELLIPSIS}]*)${ELLIPSIS}`, "g"), (whole, before: string) => {
    const from = Math.max(0, before.length - prefixes.longest);
    for (let i = from; i <= before.length - MIN_SECRET_LENGTH; i++) {
      const tail = before.slice(i);
      const bucket = prefixes.index.get(tail.slice(0, MIN_SECRET_LENGTH));
      if (bucket && cutsOne(bucket, tail)) return `${before.slice(0, i)}${SCRUBBED}${ELLIPSIS}`;
    }
    return whole;
  });
}

/** cutsOne tells whether `tail` is the start of a longer value of `bucket` (rare: only messages cut with `…`). */
function cutsOne(bucket: Bucket, tail: string): boolean {
  for (const length of bucket.lengths) {
    if (length <= tail.length) break;
    for (const v of bucket.byLength.get(length)!) if (v.startsWith(tail)) return true;
  }
  return false;
}

function formsOf(v: string): string[] {
  const json = JSON.stringify(v).slice(1, -1);
  let uri = v;
  try {
    uri = encodeURIComponent(v);
  } catch {
    // a lone surrogate: the raw form is enough
  }
  return [v, json, uri, uri.replace(/%20/g, "+")];
}

function deepMap(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v) => deepMap(v, f));
  if (value instanceof Error) return f(value.message);
  if (value !== null && typeof value === "object" && isPlain(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[f(k)] = deepMap(v, f);
    return out;
  }
  return value;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
