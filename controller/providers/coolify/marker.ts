/**
 * Coolify's project and environment descriptions reject '[' and ']' (DESCRIPTION_PATTERN), which the shared
 * ownership marker uses. The provider therefore writes the marker in parentheses and turns it back into the
 * bracketed form on read, so plan() sees exactly the description it asked for. Applications get the same
 * encoding for consistency (their description has no pattern, only the 255-character column).
 */

const BRACKETED = /\[(managed-by stackctl [^\]]*)\]/;
const PARENTHESISED = /\((managed-by stackctl [^)]*)\)/;

/** encodeDescription makes a description with a marker acceptable to Coolify. */
export function encodeDescription(description: string): string {
  return description.replace(BRACKETED, "($1)");
}

/** decodeDescription restores the shared marker form; null stays null. */
export function decodeDescription(description: string | null | undefined): string | null {
  return description ? description.replace(PARENTHESISED, "[$1]") : null;
}
