/**
 * The status store as the controller uses it: every status is scrubbed by value (controller/scrub.ts) before it is
 * kept, so neither `/api/v1/stacks` nor the status records can carry a secret, whatever the message that produced
 * it; and whether the last save worked is remembered, so `/readyz` is not ready while status cannot be saved.
 */
import type { Scrubber } from "../scrub.ts";
import type { StackStatus, StatusStore } from "./status.ts";

/** The controller's store: a StatusStore that also tells why the last save failed (null once a save works again). */
export interface GuardedStatusStore extends StatusStore {
  saveError(): string | null;
}

/** scrubbedStatusStore wraps `store`: every update is scrubbed before it is stored and saved; save failures are kept. */
export function scrubbedStatusStore(store: StatusStore, scrub: Scrubber): GuardedStatusStore {
  let saveError: string | null = null;
  const track = async <T>(saving: boolean, work: Promise<T>): Promise<T> => {
    try {
      const result = await work;
      if (saving) saveError = null;
      return result;
    } catch (err) {
      saveError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  };
  return {
    ...store,
    get: (name) => store.get(name),
    list: () => store.list(),
    update(name, target, fn) {
      const previous = store.get(name);
      let next: StackStatus | undefined;
      const work = store.update(name, target, (s) => (next = scrub.deep(fn(s))));
      // A change of lastReconcileAt alone is not written (see StatusStore.update): its success proves nothing.
      return track(previous === undefined || next === undefined || !sameButTime(previous, next), work);
    },
    remove: (name) => track(true, store.remove(name)),
    flush: () => track(false, store.flush()),
    saveError: () => saveError,
  };
}

function sameButTime(a: StackStatus, b: StackStatus): boolean {
  return JSON.stringify({ ...a, lastReconcileAt: null }) === JSON.stringify({ ...b, lastReconcileAt: null });
}
