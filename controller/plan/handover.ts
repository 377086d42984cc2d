/**
 * Hand-over on rename: an environment or application whose marker names a stack of this instance that the source
 * no longer declares is taken over by the desired stack that now declares it, in the same plan (shown as
 * `adopt … from stack/docs`), instead of being torn down and created again. Only an authoritative run knows
 * which stacks the source declares; any other run hands nothing over, and a declared stack is never robbed.
 */
import type { DesiredStack, OwnerMarker } from "../model.ts";
import type { ObservedIndex } from "./observed.ts";
import { projectsNamed } from "./observed.ts";
import { claimProject } from "./ownership.ts";

/** Object id → the name of the absent stack it is handed over from. */
export type Handover = ReadonlyMap<string, string>;

/** What finding the hand-overs needs. */
export interface HandoverInput {
  instance: string;
  desired: readonly DesiredStack[];
  observed: ObservedIndex;
  /** Every stack name the source declares (valid, broken or suspended, on any target); null: not authoritative. */
  declared: ReadonlySet<string> | null;
}

/** planHandover finds, for each desired stack, the environment and applications it inherits from absent stacks. */
export function planHandover(input: HandoverInput): Handover {
  const handover = new Map<string, string>();
  const { declared, instance } = input;
  if (declared === null) return handover;
  const absent = (owner: OwnerMarker | null): string | null => (owner !== null && owner.instance === instance && !declared.has(owner.stack) ? owner.stack : null);
  for (const stack of input.desired) {
    const claim = claimProject(projectsNamed(input.observed, stack.project), stack.project, instance, stack.adopt);
    if (claim.kind !== "owned" && claim.kind !== "adoptable") continue;
    const candidates = claim.object.environments.filter((e) => e.name === stack.environment).sort((a, b) => a.id.localeCompare(b.id));
    let env = candidates.find((e) => e.owner?.instance === instance && e.owner.stack === stack.name);
    if (!env) {
      env = candidates.find((e) => absent(e.owner) !== null);
      if (env) handover.set(env.id, absent(env.owner)!);
    }
    if (!env) continue;
    for (const app of stack.applications) {
      const named = env.applications.filter((a) => a.name === app.name).sort((a, b) => a.id.localeCompare(b.id));
      if (named.some((a) => a.owner?.instance === instance && a.owner.stack === stack.name)) continue;
      const inherited = named.find((a) => absent(a.owner) !== null);
      if (inherited) handover.set(inherited.id, absent(inherited.owner)!);
    }
  }
  return handover;
}
