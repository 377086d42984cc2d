/**
 * Checks of free text in manifests (issue #9): characters that make text display differently from what it is (NUL,
 * bidirectional overrides), and env values that look like interpolation stackctl does not do. Both are reported as
 * zod custom issues carrying a stable code (`params.code`), so validate points at the file, line and field.
 */
import type { z } from "zod";

/** NUL, and the bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). */
const UNSAFE = /[\0\u202a-\u202e\u2066-\u2069]/;

/** unsafeCharacterIn names the first unsafe character of `text` (`U+202E`), or null. */
export function unsafeCharacterIn(text: string): string | null {
  const m = UNSAFE.exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` : null;
}

/**
 * interpolationIn returns the variable name of shell or compose interpolation in `value` — `${NAME}` (with or
 * without a `:-default` part) anywhere, or `$NAME` as the whole value — or null. `$$` is an escaped `$`, and
 * `${{…}}` is a platform reference (Dokploy's `${{project.NAME}}`), so neither counts.
 */
export function interpolationIn(value: string): string | null {
  const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  if (whole) return whole[1]!;
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== "$") continue;
    if (value[i + 1] === "$") {
      i++;
      continue;
    }
    if (value.startsWith("${{", i)) continue;
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?+=-][^}]*)?\}/.exec(value.slice(i));
    if (braced) return braced[1]!;
  }
  return null;
}

/** unescapeDollars turns `$$` into `$`, as compose files do: the value a literal env value writes. */
export function unescapeDollars(value: string): string {
  return value.replace(/\$\$/g, "$");
}

type Ctx = z.core.$RefinementCtx<string>;

/** checkSafeText reports an unsafe character in a name or value (code `schema.unsafe-character`). */
export function checkSafeText(value: string, ctx: Ctx): void {
  const bad = unsafeCharacterIn(value);
  if (bad) {
    ctx.addIssue({
      code: "custom",
      message: `contains ${bad} (${bad === "U+0000" ? "NUL" : "a bidirectional control"}), which makes text display differently from what it is`,
      params: { code: "schema.unsafe-character" },
    });
  }
}

/** checkEnvLiteral reports unsafe characters and interpolation stackctl does not do (code `schema.interpolation`). */
export function checkEnvLiteral(value: string, ctx: Ctx): void {
  checkSafeText(value, ctx);
  const name = interpolationIn(value);
  if (name) {
    ctx.addIssue({
      code: "custom",
      message: `looks like interpolation of ${name}, which stackctl does not do (the text would be written as it is): use { secret: ${name} } for a secret, or write $$ for a literal $`,
      params: { code: "schema.interpolation" },
    });
  }
}
