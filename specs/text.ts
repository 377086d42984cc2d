/**
 * Turning file bytes into text, refusing what is not a UTF-8 text file, and mapping offsets to lines and columns.
 */
import type { ManifestError, Position } from "./errors.ts";

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The message of an `input.too-large` error, stating the limit. */
export function tooLargeMessage(size: number, max: number): string {
  const limit = max % 1048576 === 0 ? `${max / 1048576} MiB` : max % 1024 === 0 ? `${max / 1024} KiB` : `${max} bytes`;
  return `file is ${size} bytes, over the ${limit} limit for a manifest file; split it into several files`;
}

/** The text of a file, or the error that says why it is not one. */
export type Decoded = { text: string; error?: undefined } | { text?: undefined; error: ManifestError };

/**
 * decodeText accepts UTF-8 (with or without a BOM) up to `maxBytes`. NUL bytes mean a binary file, UTF-16 BOMs and
 * invalid sequences mean another encoding; those errors point at the first offending byte.
 */
export function decodeText(file: string, bytes: Uint8Array, maxBytes: number): Decoded {
  const fail = (code: ManifestError["code"], message: string, at?: number): Decoded => {
    const pos = at === undefined ? { line: 0, column: 0 } : bytePosition(bytes, at);
    return { error: { code, file, ...pos, path: "", message } };
  };
  if (bytes.length > maxBytes) {
    return fail("input.too-large", tooLargeMessage(bytes.length, maxBytes));
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail("input.encoding", "file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8", 0);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return fail("input.binary", `file holds a NUL byte at offset ${nul}: it looks binary, not YAML text`, nul);
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return fail("input.encoding", `file is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, "0")} at offset ${bad}); save it as UTF-8`, bad);
  }
}

function bytePosition(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong, surrogate and out-of-range forms are rejected by the second byte's range.
    const c1 = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return i;
    i += len;
  }
  return bytes.length;
}

/** Maps string offsets to 1-based lines and columns. The line table is built on first use, that is on an error. */
export class Lines {
  readonly #text: string;
  #starts: number[] | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  /** The line and column of `offset` (clamped to the text). */
  position(offset: number): Position {
    const starts = (this.#starts ??= lineStarts(this.#text));
    const at = Math.max(0, Math.min(offset, this.#text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - starts[lo]! + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}
