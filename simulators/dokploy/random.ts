/**
 * Randomness for the simulator: a seeded generator (so fault injection and appName suffixes are reproducible) and
 * nanoid-style ids. Ids come from crypto rather than the seed, so that a state file reloaded with the same seed
 * cannot hand out an id that already exists.
 */
import { randomBytes } from "node:crypto";

/** A source of floats in [0, 1). */
export type Rng = () => number;

/** Mulberry32: tiny, fast and good enough for test doubles. Same seed, same sequence. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NANOID_ALPHABET = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict";

/** A 21-character nanoid, the id format of every Dokploy row. */
export function nanoid(): string {
  const bytes = randomBytes(21);
  let id = "";
  for (const b of bytes) id += NANOID_ALPHABET[b & 63];
  return id;
}

const SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const VERBS = ["parse", "quantify", "calculate", "navigate", "compress", "index", "hack", "bypass", "connect", "override"];
const ADJECTIVES = ["back-end", "virtual", "solid-state", "digital", "mobile", "primary", "optical", "neural", "wireless"];
const NOUNS = ["array", "port", "firewall", "interface", "bus", "driver", "panel", "matrix", "pixel", "protocol"];

/** `n` characters from [a-z0-9], as in Dokploy's appName suffix. */
export function suffix(rng: Rng, n = 6): string {
  let s = "";
  for (let i = 0; i < n; i++) s += SUFFIX_ALPHABET[Math.floor(rng() * SUFFIX_ALPHABET.length)];
  return s;
}

function pick(rng: Rng, words: readonly string[]): string {
  return words[Math.floor(rng() * words.length)] ?? "x";
}

/**
 * Dokploy's `buildAppName`: a given name is trimmed, spaces become hyphens, lower-cased, and gets `-<6 chars>`;
 * without one the server invents `<prefix>-<verb>-<adjective>-<noun>-<6 chars>`.
 */
export function buildAppName(rng: Rng, prefix: "app" | "compose", given?: string): string {
  if (given !== undefined) return `${given.trim().replace(/ /g, "-").toLowerCase()}-${suffix(rng)}`;
  return `${prefix}-${pick(rng, VERBS)}-${pick(rng, ADJECTIVES)}-${pick(rng, NOUNS)}-${suffix(rng)}`;
}
