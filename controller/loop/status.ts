/**
 * The status of each stack (issue #4, style-anchors Lesson 7) and the store that keeps it across restarts: one
 * record per stack in a directory (status-files.ts), written atomically, so a change to one stack writes that stack's
 * bytes only, however large the fleet, and a crash mid-write leaves the previous record intact. Writes are
 * coalesced per stack and bounded in number at once: each record always ends up holding the latest in-memory status.
 */
import type { Condition } from "./conditions.ts";
import type { QuarantinedRecord } from "./status-files.ts";
import { FILE_CONCURRENCY, importLegacyState, loadRecords, removeRecord, writeRecord } from "./status-files.ts";

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

/** Where the store keeps its records, and what it reports about unusable ones. */
export interface StatusStoreOptions {
  /** The directory of per-stack records (created on the first write). */
  dir: string;
  /** A whole-fleet state file of an earlier version to carry over once (then renamed), when there is one. */
  legacyFile?: string;
  /** Called for each record that was unusable and moved aside; its stack starts from the servers' markers. */
  onQuarantine?: (record: QuarantinedRecord) => void;
  now?: () => number;
}

/**
 * openStatusStore loads the records of `opts.dir` (a missing directory is an empty store) and returns a store
 * persisting to it. An unusable record never stops the controller: it is moved aside and reported through
 * `onQuarantine`. Throws StatusStoreError `status.unreadable` only when the directory itself cannot be read.
 */
export async function openStatusStore(opts: StatusStoreOptions): Promise<StatusStore> {
  const now = opts.now ?? Date.now;
  const statuses = new Map<string, StackStatus>();
  const loaded = await readAll(opts, now);
  for (const s of loaded.statuses) statuses.set(s.name, { ...emptyStatus(s.name, s.target), ...s });
  for (const q of loaded.quarantined) opts.onQuarantine?.(q);
  const writer = createRecordWriter(opts.dir, (name) => statuses.get(name));
  if (loaded.imported) for (const name of statuses.keys()) void writer.persist(name).catch(() => undefined);

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
      // so 1,000 quiet stacks do not write a hundred records a minute.
      if (!previous || !sameButTime(previous, next)) await writer.persist(name);
      return next;
    },
    async remove(name) {
      if (statuses.delete(name)) await writer.persist(name);
    },
    flush: () => writer.flush(),
  };
}

async function readAll(opts: StatusStoreOptions, now: () => number): Promise<{ statuses: StackStatus[]; quarantined: QuarantinedRecord[]; imported: boolean }> {
  try {
    const records = await loadRecords(opts.dir, now);
    const legacy = opts.legacyFile ? await importLegacyState(opts.legacyFile, now) : { statuses: [], quarantined: [] };
    // A record written by this version is newer than anything in the old whole-fleet file.
    const known = new Set(records.statuses.map((s) => s.name));
    const carried = legacy.statuses.filter((s) => !known.has(s.name));
    return { statuses: [...records.statuses, ...carried], quarantined: [...records.quarantined, ...legacy.quarantined], imported: carried.length > 0 };
  } catch (err) {
    throw new StatusStoreError("status.unreadable", opts.dir, "cannot read the status directory", err);
  }
}

/**
 * The writer behind a store: `persist(name)` saves the stack's current status (or deletes its record when it has
 * none) and resolves once a write that started after the call finished. A burst for one stack coalesces into at
 * most one write in flight and one queued; at most FILE_CONCURRENCY records are written at once.
 */
function createRecordWriter(dir: string, current: (name: string) => StackStatus | undefined) {
  type Waiter = { resolve: () => void; reject: (err: unknown) => void };
  const queued = new Map<string, Waiter[]>();
  const inFlight = new Set<string>();
  const writes = new Set<Promise<void>>();
  const outstanding = new Set<Promise<void>>();
  /** Stacks whose last write failed: written again with the next write asked for, so no record stays stale. */
  const failed = new Set<string>();
  let seq = 0;

  function pump(): void {
    for (const [name, waiters] of queued) {
      if (inFlight.size >= FILE_CONCURRENCY) return;
      if (inFlight.has(name)) continue; // written again once the write in flight is done
      queued.delete(name);
      inFlight.add(name);
      const status = current(name);
      const write = status ? writeRecord(dir, status, ++seq) : removeRecord(dir, name);
      writes.add(write);
      write.then(
        () => waiters.forEach((w) => w.resolve()),
        (err: unknown) => {
          failed.add(name);
          waiters.forEach((w) => w.reject(new StatusStoreError("status.write-failed", dir, `cannot write the status of stack '${name}'`, err)));
        },
      ).finally(() => {
        inFlight.delete(name);
        writes.delete(write);
        pump();
      });
    }
  }

  return {
    persist(name: string): Promise<void> {
      const done = new Promise<void>((resolve, reject) => {
        const waiters = queued.get(name) ?? [];
        waiters.push({ resolve, reject });
        queued.set(name, waiters);
      });
      outstanding.add(done);
      const settle = () => outstanding.delete(done);
      done.then(settle, settle);
      for (const other of failed) if (!queued.has(other)) queued.set(other, []);
      failed.clear();
      pump();
      return done;
    },
    /** Resolves once every write asked for so far is done; rejects when any of them failed. */
    async flush(): Promise<void> {
      const asked = Promise.all([...outstanding]);
      asked.catch(() => undefined); // awaited below, after the queue drained
      while (queued.size + inFlight.size > 0) await Promise.allSettled([...writes]);
      await asked;
    },
  };
}

function sameButTime(a: StackStatus, b: StackStatus): boolean {
  return JSON.stringify({ ...a, lastReconcileAt: null }) === JSON.stringify({ ...b, lastReconcileAt: null });
}
