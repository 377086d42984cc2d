/**
 * One `project.all` for several callers at once. Its answer holds the whole server (megabytes at 10,000 projects),
 * and a controller starting up asks for it from every worker and the teardown sweep together: five copies parsed at
 * once were most of its peak memory. A caller joins a read in flight only when no write through the same client
 * finished since that read started, so what it sees is never older than its own last write (level-triggered
 * reconciles stay correct: a stack never plans from a read that predates a project another stack just created).
 */
import type { HttpClient } from "../../http/client.ts";

interface InFlight {
  generation: number;
  result: Promise<unknown>;
}

const generations = new WeakMap<HttpClient, number>();
const inFlight = new WeakMap<HttpClient, Map<string, InFlight>>();

/** wrote records that a write through `http` finished: reads started before it are not shared any more. */
export function wrote(http: HttpClient): void {
  generations.set(http, (generations.get(http) ?? 0) + 1);
}

/**
 * sharedRead runs `read` for `key`, or joins the same read in flight when no write finished since it started — or
 * whatever finished since, with `acrossWrites`, for a read no write of the caller's kind can change.
 */
export function sharedRead<T>(http: HttpClient, key: string, read: () => Promise<T>, options: { acrossWrites?: boolean } = {}): Promise<T> {
  const generation = generations.get(http) ?? 0;
  const reads = inFlight.get(http) ?? new Map<string, InFlight>();
  inFlight.set(http, reads);
  const running = reads.get(key);
  if (running && (options.acrossWrites || running.generation === generation)) return running.result as Promise<T>;
  const result = read();
  const entry: InFlight = { generation, result };
  reads.set(key, entry);
  const forget = () => {
    if (reads.get(key) === entry) reads.delete(key);
  };
  result.then(forget, forget);
  return result;
}
