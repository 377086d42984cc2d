/**
 * Giving memory back after a burst. V8 collects its old generation only as it nears a limit that grows with the
 * heap, so the garbage of a burst (the first sync of 10,000 stacks parses hundreds of megabytes of answers) stays
 * resident long after: at 10,000 stacks it was half the controller's RSS. After the first sync and after each
 * teardown sweep the controller asks for V8's last-resort collection (full and compacting, repeated until nothing more
 * is freed, the young generation shrunk), which returns the freed pages at once: a regular full collection left the
 * heap's committed size where the burst had taken it (79 MiB for 32 used at 1,000 stacks) until V8's memory reducer
 * came by tens of seconds later.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Timers } from "./timers.ts";

/** How often a running controller compacts its heap besides after bursts (see compactPeriodically). */
export const COMPACT_INTERVAL_MS = 60_000;

let collect: ((options?: { type: string; execution: string; flavor: string }) => void) | null | undefined;

/** compactHeap runs V8's last-resort collection (a few tenths of a second at 10,000 stacks); a no-op where V8 refuses. */
export function compactHeap(): void {
  if (collect === undefined) {
    try {
      // `gc` exists only with --expose-gc; setting the flag now exposes it to contexts created afterwards.
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as typeof collect;
    } catch {
      collect = null;
    }
  }
  collect?.({ type: "major", execution: "sync", flavor: "last-resort" });
}

/**
 * compactPeriodically runs compactHeap every `intervalMs` until the returned stop is called. Between bursts V8 lets
 * its old generation grow by a factor of the live heap before collecting, and a quiet controller's drift checks
 * never bring it near that limit soon: at 10,000 stacks its RSS crept from 189 to 239 MiB in seven minutes, and the
 * periodic teardown sweep's paced survey let the heap reach 256 MiB of mostly garbage. One compaction a minute costs
 * a few tenths of a second of CPU at 10,000 stacks (well under 1 % of a core) and milliseconds at 100.
 */
export function compactPeriodically(timers: Timers, intervalMs: number = COMPACT_INTERVAL_MS): () => void {
  let handle = timers.setTimeout(function tick() {
    compactHeap();
    handle = timers.setTimeout(tick, intervalMs);
  }, intervalMs);
  return () => timers.clearTimeout(handle);
}
