/**
 * The status store with a listener: after every update or removal the listener is told the stack's new status
 * (undefined once removed). Commit statuses follow the stacks this way, without the handlers knowing about them.
 */
import type { StackStatus, StatusStore } from "./status.ts";

/**
 * observedStatusStore wraps `store` (keeping whatever else it offers); `onChange` runs after the change is in
 * memory, and must not throw.
 */
export function observedStatusStore<S extends StatusStore>(store: S, onChange: (name: string, status: StackStatus | undefined) => void): S {
  return {
    ...store,
    get: (name: string) => store.get(name),
    list: () => store.list(),
    update: async (name: string, target: string, fn: (s: StackStatus) => StackStatus) => {
      try {
        return await store.update(name, target, fn);
      } finally {
        // Also when saving failed: the in-memory status changed, and that is what the controller reports.
        onChange(name, store.get(name));
      }
    },
    remove: async (name: string) => {
      try {
        await store.remove(name);
      } finally {
        onChange(name, store.get(name));
      }
    },
    flush: () => store.flush(),
  };
}
