/**
 * Dokploy stores env vars and build args as dotenv text and reads them with the `dotenv` package's parse(). This
 * module formats a map so that dotenv's parse() returns exactly that map, and parses text the way dotenv does,
 * so observe() sees what the server will inject. A value that no dotenv quoting can carry is refused up front by
 * dotenvUnrepresentable() (reported as a capability issue), never silently altered.
 */

// dotenv's own line grammar (dotenv 16/17 `LINE`): key, separator, then a single-, double- or backtick-quoted
// value (which may span lines) or a bare value that stops at `#` or the end of the line.
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** parseDotenv reads dotenv text exactly like dotenv's parse(); null or empty text is an empty map. */
export function parseDotenv(text: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  const lines = text.replace(/\r\n?/gm, "\n");
  LINE.lastIndex = 0;
  for (let match = LINE.exec(lines); match !== null; match = LINE.exec(lines)) {
    let value = (match[2] ?? "").trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, "$2");
    if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    out[match[1]!] = value;
  }
  return out;
}

// A bare value: no comment sign, no line break, nothing that trim() or quote stripping would change.
const BARE = /^[^\s#'"`][^#\r\n]*$/;

/** quoteValue renders one value so that parseDotenv returns it unchanged; undefined when impossible. */
export function quoteValue(value: string): string | undefined {
  if (value === "") return "";
  if (BARE.test(value) && !/\s$/.test(value)) return value;
  // Single and backtick quotes are literal and may span lines; a CR cannot survive dotenv's line normalisation.
  if (!value.includes("\r")) {
    if (!value.includes("'")) return `'${value}'`;
    if (!value.includes("`")) return `\`${value}\``;
  }
  // Double quotes turn \n and \r into line breaks, and have no working escape for `"` or a literal backslash-n.
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value.replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
  return undefined;
}

/** A key dotenv can read back (its grammar allows word characters, `.` and `-`). */
const KEY = /^[\w.-]+$/;

/** dotenvUnrepresentable lists the keys of `vars` whose name or value cannot round-trip through dotenv text. */
export function dotenvUnrepresentable(vars: Record<string, string>): string[] {
  return Object.entries(vars)
    .filter(([key, value]) => !KEY.test(key) || quoteValue(value) === undefined)
    .map(([key]) => key);
}

/**
 * formatDotenv renders `K=V` lines (null for an empty map, as Dokploy stores "no variables"). Throws on a key or
 * value that cannot round-trip; the message names the key, never the value (it may be a secret).
 */
export function formatDotenv(vars: Record<string, string>): string | null {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(vars)) {
    const quoted = KEY.test(key) ? quoteValue(value) : undefined;
    if (quoted === undefined) throw new Error(`variable ${key} cannot be written as dotenv text`);
    lines.push(`${key}=${quoted}`);
  }
  return lines.length > 0 ? lines.join("\n") : null;
}
