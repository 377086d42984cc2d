/**
 * Spreading periodic work: each stack is re-checked for drift every `driftInterval`, spread over the interval rather
 * than in one burst (issue #4). Offsets come from a stable hash of the key, so a restart keeps each stack's slot and
 * adding a stack does not move the others.
 */
import { createHash } from "node:crypto";

/**
 * stableFraction maps a key to a number in [0, 1) from its SHA-256: stable across runs and platforms, and well mixed
 * even for names that differ in one character (`stack-1`, `stack-2`), which short multiplicative hashes are not.
 */
export function stableFraction(key: string): number {
  return createHash("sha256").update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * spreadSchedule gives each key an offset in [0, intervalMs) from a stable hash, so that enqueueing key k with
 * `after: offsets.get(k)` spreads the first drift checks over the interval; later ones follow from `requeueAfterMs`.
 */
export function spreadSchedule(keys: Iterable<string>, intervalMs: number): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const key of keys) offsets.set(key, Math.floor(stableFraction(key) * Math.max(0, intervalMs)));
  return offsets;
}

/**
 * jittered returns `ms` moved by up to ±`fraction` of itself (default 10 %), so periodic requeues of many stacks
 * drift apart instead of synchronising (Flux's `JitteredIntervalDuration`).
 */
export function jittered(ms: number, random: () => number = Math.random, fraction = 0.1): number {
  return Math.max(0, Math.round(ms * (1 + fraction * (2 * random() - 1))));
}
