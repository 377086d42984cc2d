/**
 * Giving memory back after a burst. V8 collects its old generation only as it nears a limit that grows with the
 * heap, so the garbage of a burst (the first sync of 10,000 stacks parses hundreds of megabytes of answers) stays
 * resident long after: at 10,000 stacks it was half the controller's RSS. After the first sync and after each
 * teardown sweep the controller asks for one full, compacting collection, which returns the freed pages.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | null | undefined;

/** compactHeap runs a full garbage collection (about 0.1 s at 10,000 stacks); a no-op where V8 refuses. */
export function compactHeap(): void {
  if (collect === undefined) {
    try {
      // `gc` exists only with --expose-gc; setting the flag now exposes it to contexts created afterwards.
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
