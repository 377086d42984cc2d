/**
 * Replay protection of the GitHub webhook (issue #9). GitHub signs the body but not the `X-GitHub-Delivery` header,
 * so a captured delivery could be sent again under the same or a new delivery id: a delivery is a replay when its
 * id or its exact body (every push body differs: commits, timestamps) was seen before. Memory stays bounded.
 */
import { createHash } from "node:crypto";

/** ReplayGuard remembers recent deliveries. */
export interface ReplayGuard {
  /** seen records a verified delivery and returns true when its id or body was seen before (a replay). */
  seen(delivery: string | undefined, body: Buffer): boolean;
}

/** createReplayGuard remembers the last `capacity` deliveries (ids and body digests). */
export function createReplayGuard(capacity = 10_000): ReplayGuard {
  const keys = new Set<string>();
  const remember = (key: string) => {
    keys.add(key);
    if (keys.size > capacity) keys.delete(keys.values().next().value!);
  };
  return {
    seen(delivery, body) {
      const digest = `body:${createHash("sha256").update(body).digest("hex")}`;
      const id = delivery ? `id:${delivery}` : null;
      const replay = keys.has(digest) || (id !== null && keys.has(id));
      remember(digest);
      if (id) remember(id);
      return replay;
    },
  };
}
