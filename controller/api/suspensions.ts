/**
 * Runtime suspensions (`stackctl suspend NAME`, like `flux suspend`): the stacks an operator paused through the API,
 * kept in the controller's state file so a restart keeps them paused. A manifest's `spec.suspend: true` still
 * wins: resuming never un-suspends a stack its manifest suspends. The file is validated with zod when read; an
 * unusable file is reported and treated as empty (pausing is a convenience, never a safety rule).
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";

const RuntimeStateSchema = z.object({
  version: z.literal(1),
  suspended: z.record(z.string(), z.object({ since: z.string() })),
});

/** One runtime suspension. */
export interface Suspension {
  since: string;
}

/** The runtime suspensions of a controller. */
export interface SuspensionStore {
  get(name: string): Suspension | undefined;
  /** suspend pauses a stack (idempotent: the first time is kept) and persists. */
  suspend(name: string, now: Date): Promise<Suspension>;
  /** resume lifts a runtime suspension and persists; false when there was none. */
  resume(name: string): Promise<boolean>;
  names(): string[];
}

/**
 * openSuspensions loads `file` (missing: none) and returns a store persisting to it; without a file, in memory
 * only. `onProblem` hears about an unreadable or invalid file.
 */
export async function openSuspensions(file: string | undefined, onProblem: (message: string) => void = () => undefined): Promise<SuspensionStore> {
  const suspended = new Map<string, Suspension>(Object.entries(await load(file, onProblem)));
  let writing: Promise<void> = Promise.resolve();
  const persist = () => {
    if (!file) return Promise.resolve();
    const text = `${JSON.stringify({ version: 1, suspended: Object.fromEntries([...suspended].sort(([a], [b]) => (a < b ? -1 : 1))) })}\n`;
    writing = writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, text);
      await rename(`${file}.tmp`, file);
    });
    return writing;
  };
  return {
    get: (name) => suspended.get(name),
    async suspend(name, now) {
      const existing = suspended.get(name);
      if (existing) return existing;
      const s = { since: now.toISOString() };
      suspended.set(name, s);
      await persist();
      return s;
    },
    async resume(name) {
      if (!suspended.delete(name)) return false;
      await persist();
      return true;
    },
    names: () => [...suspended.keys()].sort(),
  };
}

async function load(file: string | undefined, onProblem: (message: string) => void): Promise<Record<string, Suspension>> {
  if (!file) return {};
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") onProblem(`${file}: cannot read: ${(err as Error).message}`);
    return {};
  }
  try {
    const parsed = RuntimeStateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.suspended;
    onProblem(`${file}: not a runtime state file: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  } catch (err) {
    onProblem(`${file}: not JSON: ${(err as Error).message}`);
  }
  return {};
}
