/**
 * Optional persistence of the simulator state to a JSON file, so `stackctl dev-server` keeps its state across
 * restarts. The file holds a StoreSnapshot; settings and the RNG are not persisted.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { DokployStore, StoreSnapshot } from "./store.ts";

const TABLES = ["projects", "environments", "applications", "compose", "databases", "domains", "mounts", "deployments", "tags", "projectTags"] as const;

/** A JSON-safe deep copy of the store's tables. */
export function snapshot(store: DokployStore): StoreSnapshot {
  const snap: Record<string, unknown> = { organizationId: store.organizationId, nextConfigKey: store.nextConfigKey };
  for (const t of TABLES) snap[t] = structuredClone(store[t]);
  return snap as unknown as StoreSnapshot;
}

/** Replaces the store's tables with a snapshot. Deployments left `running` end in `error`, as after a restart. */
export function restore(store: DokployStore, snap: StoreSnapshot): void {
  store.organizationId = snap.organizationId;
  store.nextConfigKey = snap.nextConfigKey;
  const target = store as unknown as Record<string, unknown>;
  for (const t of TABLES) target[t] = structuredClone(snap[t] ?? []);
  for (const d of store.deployments) if (d.status === "running") Object.assign(d, { status: "error", finishedAt: store.now() });
}

/** Writes the store to `file` atomically (temp file, then rename). */
export function saveStore(store: DokployStore, file: string): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(snapshot(store), null, 1));
  renameSync(`${file}.tmp`, file);
}

/** Loads `file` into the store if it exists; returns false when there is no such file. */
export function loadStore(store: DokployStore, file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
  restore(store, JSON.parse(text) as StoreSnapshot);
  return true;
}
