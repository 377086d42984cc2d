/**
 * Which environments a plan may remove, as observe() is told (ObserveRequest.mayRemoveEnvironment), so that a
 * provider can skip the extra reads that only a removal needs. plan() removes only environments this instance
 * owns: a desired stack's others than its own place (it moved), and, unless teardown is suspended, those of stacks
 * no longer desired. The answer may say yes too often (that costs reads), never too rarely.
 */
import type { DesiredStack, OwnerMarker } from "./model.ts";

/** The predicate for a plan of `desired` by `instance`; with `suspendTeardown`, stacks not desired keep theirs. */
export function removableEnvironments(instance: string, desired: readonly DesiredStack[], suspendTeardown: boolean): (project: string, environment: string, owner: OwnerMarker | null) => boolean {
  const places = new Map(desired.map((s) => [s.name, s]));
  return (project, environment, owner) => {
    if (owner === null || owner.instance !== instance) return false;
    const stack = places.get(owner.stack);
    if (!stack) return !suspendTeardown;
    return stack.project !== project || stack.environment !== environment;
  };
}
