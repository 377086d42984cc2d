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
  const known = new Set<string>();
  let pattern: RegExp | null = null;
  let prefixes: Prefixes | null = null;
  let dirty = false;

  const matcher = (): RegExp | null => {
    if (dirty) {
      // Longest first, so a value that contains another is replaced whole.
      const forms = [...known].sort((a, b) => b.length - a.length).map(escapeRegExp);
      pattern = forms.length > 0 ? new RegExp(forms.join("|"), "g") : null;
      prefixes = forms.length > 0 ? prefixesOf(known) : null;
      dirty = false;
    }
    return pattern;
  };

  const scrubber: Scrubber = {
    add(...vals) {
      for (const v of vals) {
        if (typeof v !== "string" || v.length < MIN_SECRET_LENGTH) continue;
        for (const form of formsOf(v)) {
          if (form.length >= MIN_SECRET_LENGTH && !known.has(form)) {
            known.add(form);
            dirty = true;
          }
        }
      }
    },
    text(s) {
      if (typeof s !== "string" || s === "") return s;
      const re = matcher();
      const out = re ? s.replace(re, SCRUBBED) : s;
      return scrubUrlUserInfo(out.includes(ELLIPSIS) && prefixes ? scrubCutValues(out, prefixes) : out);
    },
    deep<T>(value: T): T {
      return deepMap(value, (s) => scrubber.text(s)) as T;
    },
    get size() {
      return known.size;
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

/** Known values by their first MIN_SECRET_LENGTH characters, to find a cut value without trying every one. */
type Prefixes = { index: Map<string, string[]>; longest: number };

function prefixesOf(known: ReadonlySet<string>): Prefixes {
  const index = new Map<string, string[]>();
  let longest = 0;
  for (const v of known) {
    const key = v.slice(0, MIN_SECRET_LENGTH);
    index.set(key, [...(index.get(key) ?? []), v]);
    longest = Math.max(longest, v.length);
  }
  return { index, longest };
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
      const candidates = prefixes.index.get(tail.slice(0, MIN_SECRET_LENGTH)) ?? [];
      if (candidates.some((v) => v.length > tail.length && v.startsWith(tail))) return `${before.slice(0, i)}${SCRUBBED}${ELLIPSIS}`;
    }
    return whole;
  });
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
