/**
 * The status of each stack (issue #4, style-anchors Lesson 7) and the store that keeps it across restarts: a JSON
 * state file written atomically (temporary file + rename), so a crash mid-write leaves the previous file intact.
 * Writes are serialised and coalesced: the file always ends up holding the latest in-memory state.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Condition } from "./conditions.ts";

/** The counts of the last plan, by action (see `countChanges` in controller/plan/types.ts). */
export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  deploy: number;
  adopt: number;
}

/** StackStatus is what the controller reports about one stack (`/api/v1/stacks/NAME`). */
export interface StackStatus {
  name: string;
  target: string;
  conditions: Condition[];
  /** The revision (commit SHA or directory hash) the last reconcile started from. */
  lastAttemptedRevision: string | null;
  /** The revision last applied successfully. */
  lastAppliedRevision: string | null;
  lastPlan: PlanSummary | null;
  /** One line, never a secret: the caller formats it (e.g. `formatStackError`). */
  lastError: string | null;
  /** Subjects (`stack/shop app/web`) the stack owns, as of the last apply. */
  inventory: string[];
  /** ISO 8601, or null before the first reconcile. */
  lastReconcileAt: string | null;
}

/** emptyStatus is the status of a stack the controller has not reconciled yet. */
export function emptyStatus(name: string, target: string): StackStatus {
  return {
    name,
    target,
    conditions: [],
    lastAttemptedRevision: null,
    lastAppliedRevision: null,
    lastPlan: null,
    lastError: null,
    inventory: [],
    lastReconcileAt: null,
  };
}

/** A state file that cannot be read back; `code` is stable, `subject` is the file. */
export class StatusStoreError extends Error {
  readonly code: "status.unreadable" | "status.write-failed";
  readonly subject: string;

  constructor(code: StatusStoreError["code"], file: string, message: string, cause?: unknown) {
    super(`${file}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = "StatusStoreError";
    this.code = code;
    this.subject = file;
  }
}

/** StatusStore holds every stack's status in memory and persists it. */
export interface StatusStore {
  get(name: string): StackStatus | undefined;
  /** list returns all statuses sorted by name. */
  list(): StackStatus[];
  /**
   * update applies `fn` to a copy of the current status (or `emptyStatus(name, target)`), keeps the result in memory
   * and persists it — unless only `lastReconcileAt` changed, which is saved with the next other change; rejects with
   * StatusStoreError when the write fails (the in-memory status is still updated).
   */
  update(name: string, target: string, fn: (s: StackStatus) => StackStatus): Promise<StackStatus>;
  /** remove forgets a stack that is no longer declared, and persists. */
  remove(name: string): Promise<void>;
  /** flush resolves once everything updated so far is on disk; rejects with StatusStoreError when a write failed. */
  flush(): Promise<void>;
}

const FORMAT_VERSION = 1;

interface StateFile {
  version: number;
  stacks: StackStatus[];
}

/**
 * openStatusStore loads `file` (a missing file is an empty store) and returns a store persisting to it.
 * Throws StatusStoreError `status.unreadable` when the file exists but is not a state file of this version.
 */
export async function openStatusStore(file: string): Promise<StatusStore> {
  const statuses = new Map<string, StackStatus>();
  for (const s of await load(file)) statuses.set(s.name, s);
  let chain: Promise<void> = Promise.resolve();
  let dirty = false;
  let seq = 0;

  function persist(): Promise<void> {
    dirty = true;
    // A failed write must not poison the ones after it: each write starts from a settled chain.
    chain = chain.catch(() => undefined).then(async () => {
      if (!dirty) return; // an earlier queued write already saved this state
      dirty = false;
      const body: StateFile = { version: FORMAT_VERSION, stacks: list() };
      // Compact: at 1,000 stacks the indented form is twice the bytes to build and write on every change.
      await writeAtomic(file, `${JSON.stringify(body)}\n`, ++seq);
    });
    return chain;
  }

  function list(): StackStatus[] {
    return [...statuses.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  return {
    get: (name) => statuses.get(name),
    list,
    async update(name, target, fn) {
      const previous = statuses.get(name);
      const next = fn(structuredClone(previous ?? emptyStatus(name, target)));
      statuses.set(name, next);
      // A drift check that found nothing only moves lastReconcileAt: kept in memory, saved with the next real change,
      // so 1,000 quiet stacks do not rewrite the file a hundred times a minute.
      if (!previous || !sameButTime(previous, next)) await persist();
      return next;
    },
    async remove(name) {
      if (statuses.delete(name)) await persist();
    },
    flush: () => chain,
  };
}

function sameButTime(a: StackStatus, b: StackStatus): boolean {
  return JSON.stringify({ ...a, lastReconcileAt: null }) === JSON.stringify({ ...b, lastReconcileAt: null });
}

async function load(file: string): Promise<StackStatus[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new StatusStoreError("status.unreadable", file, "cannot read the state file", err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new StatusStoreError("status.unreadable", file, "the state file is not valid JSON", err);
  }
  const state = parsed as Partial<StateFile> | null;
  if (!state || state.version !== FORMAT_VERSION || !Array.isArray(state.stacks)) {
    throw new StatusStoreError("status.unreadable", file, `expected a state file of version ${FORMAT_VERSION}`);
  }
  return state.stacks.filter((s) => typeof s?.name === "string").map((s) => ({ ...emptyStatus(s.name, s.target), ...s }));
}

async function writeAtomic(file: string, text: string, seq: number): Promise<void> {
  const tmp = `${file}.${process.pid}.${seq}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    throw new StatusStoreError("status.write-failed", file, "cannot write the state file", err);
  }
}
