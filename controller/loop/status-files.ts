/**
 * The status directory on disk: one small file per stack (`<stack>.json`), each written atomically (a temporary
 * file, then rename), so one stack's change writes that stack's bytes only and a crash mid-write leaves the previous
 * record whole. On load every record is validated (status-schema.ts); one that is empty, truncated, of another
 * version or of the wrong shape is renamed `<stack>.json.corrupt-<time>` and reported, and that stack starts from
 * the servers' markers, which are the truth anyway. Leftover temporary files of a crashed write are removed.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { mapBounded } from "../apply.ts";
import type { StackStatus } from "./status.ts";
import { legacyStateSchema, parseRecord, STATUS_RECORD_VERSION, stackStatusSchema } from "./status-schema.ts";

/** A record that could not be used, and where it was moved. */
export interface QuarantinedRecord {
  file: string;
  movedTo: string;
  problem: string;
}

/** What loading found: the valid statuses and the records moved aside. */
export interface LoadedRecords {
  statuses: StackStatus[];
  quarantined: QuarantinedRecord[];
}

const RECORD_SUFFIX = ".json";
const TEMP_SUFFIX = ".tmp";
/** Files read or written at once: enough to hide latency, few enough never to run out of descriptors. */
export const FILE_CONCURRENCY = 16;

/** recordFile is the path of `name`'s record in `dir`. Stack names are RFC 1123 labels, safe as file names. */
export function recordFile(dir: string, name: string): string {
  return join(dir, `${name}${RECORD_SUFFIX}`);
}

/** loadRecords reads every record of `dir` (a missing directory is empty), moving aside the unusable ones. */
export async function loadRecords(dir: string, now: () => number): Promise<LoadedRecords> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { statuses: [], quarantined: [] };
    throw err;
  }
  await Promise.all(names.filter((n) => n.endsWith(TEMP_SUFFIX)).map((n) => rm(join(dir, n), { force: true })));
  const records = names.filter((n) => n.endsWith(RECORD_SUFFIX) && !n.startsWith("."));
  const loaded: LoadedRecords = { statuses: [], quarantined: [] };
  await mapBounded(records, FILE_CONCURRENCY, async (fileName) => {
    const file = join(dir, fileName);
    const parsed = parseRecord(await readFile(file, "utf8"), basename(fileName, RECORD_SUFFIX));
    if ("status" in parsed) loaded.statuses.push(parsed.status);
    else loaded.quarantined.push(await quarantine(file, parsed.problem, now));
  });
  return loaded;
}

/**
 * importLegacyState carries the statuses of an earlier version's whole-fleet state file over: each valid entry is
 * returned (to be written as a record) and the file is renamed `.imported-<time>`; a file that is not a valid state
 * file is moved aside as `.corrupt-<time>` instead. A missing file imports nothing.
 */
export async function importLegacyState(file: string, now: () => number): Promise<LoadedRecords> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { statuses: [], quarantined: [] };
    throw err;
  }
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // reported below as not a state file
  }
  const state = legacyStateSchema.safeParse(parsed);
  if (!state.success) return { statuses: [], quarantined: [await quarantine(file, "not a state file of version 1 (empty, truncated or corrupted)", now)] };
  const statuses = state.data.stacks.flatMap((entry) => {
    const s = stackStatusSchema.safeParse(entry);
    return s.success ? [s.data] : [];
  });
  const dropped = state.data.stacks.length - statuses.length;
  await rename(file, `${file}.imported-${stamp(now)}`);
  const quarantined = dropped > 0 ? [{ file, movedTo: `${file}.imported-${stamp(now)}`, problem: `${dropped} entries of the wrong shape were not imported` }] : [];
  return { statuses, quarantined };
}

/** Directories writeRecord made (or found) already: a mkdir per record was a tenth of a 10,000-stack first sync's CPU. */
const madeDirs = new Set<string>();

/** writeRecord replaces `status`'s record atomically; `seq` keeps concurrent temporary names apart. */
export async function writeRecord(dir: string, status: StackStatus, seq: number): Promise<void> {
  const file = recordFile(dir, status.name);
  const tmp = join(dir, `.${status.name}.${process.pid}.${seq}${TEMP_SUFFIX}`);
  const text = `${JSON.stringify({ version: STATUS_RECORD_VERSION, status })}\n`;
  if (!madeDirs.has(dir)) await makeDir(dir);
  try {
    await writeFile(tmp, text, { mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    await makeDir(dir); // removed behind the controller's back: made again
    await writeFile(tmp, text, { mode: 0o600 });
  }
  await rename(tmp, file);
}

async function makeDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  madeDirs.add(dir);
}

/** removeRecord deletes `name`'s record; a record already gone is fine. */
export async function removeRecord(dir: string, name: string): Promise<void> {
  await rm(recordFile(dir, name), { force: true });
}

async function quarantine(file: string, problem: string, now: () => number): Promise<QuarantinedRecord> {
  const movedTo = `${file}.corrupt-${stamp(now)}`;
  await rename(file, movedTo);
  return { file, movedTo, problem };
}

/** A time for file names: ISO 8601 without colons (not allowed in names on every file system). */
function stamp(now: () => number): string {
  return new Date(now()).toISOString().replace(/:/g, "-");
}
