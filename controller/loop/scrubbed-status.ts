/**
 * The status store as the controller uses it: every status is scrubbed by value (controller/scrub.ts) before it is
 * kept, so neither `/api/v1/stacks` nor the state file can carry a secret, whatever the message that produced it.
 */
import type { Scrubber } from "../scrub.ts";
import type { StatusStore } from "./status.ts";

/** scrubbedStatusStore wraps `store` so that every update is scrubbed before it is stored and saved. */
export function scrubbedStatusStore(store: StatusStore, scrub: Scrubber): StatusStore {
  return {
    ...store,
    get: (name) => store.get(name),
    list: () => store.list(),
    update: (name, target, fn) => store.update(name, target, (s) => scrub.deep(fn(s))),
    remove: (name) => store.remove(name),
    flush: () => store.flush(),
  };
}
