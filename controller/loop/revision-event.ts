/**
 * What a new revision concerns, for observers of the loop (commit statuses): the stacks whose input changed, with
 * the target each is on (null for a broken manifest whose target is unknown), and the stacks it removed, except
 * those whose deletion policy keeps everything in place (nothing happens to them).
 */
import type { RevisionInForce } from "../github/commit-statuses.ts";
import type { Snapshot } from "./snapshot.ts";

/** revisionEventOf describes `next` against `previous`, given the names changedStacks returned. */
export function revisionEventOf(previous: Snapshot | null, next: Snapshot, changed: readonly string[]): RevisionInForce {
  const stacks: { name: string; target: string | null; removed: boolean }[] = [];
  for (const name of changed) {
    const live = next.stacks.get(name);
    const broken = next.failed.get(name);
    if (live) stacks.push({ name, target: live.desired.target, removed: false });
    else if (broken) stacks.push({ name, target: broken.target, removed: false });
    else {
      const gone = previous?.stacks.get(name);
      if (gone && !gone.desired.orphanOnDelete) stacks.push({ name, target: gone.desired.target, removed: true });
      else if (!gone && previous?.failed.get(name)?.target) stacks.push({ name, target: previous.failed.get(name)!.target, removed: true });
    }
  }
  return { revision: next.revision, stacks, unattributed: next.unattributed };
}
