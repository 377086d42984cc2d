/**
 * The order in which apply() runs one stack's changes. plan() lists them in an order that is always safe to run one
 * by one; this finds what may overlap: the changes of different applications (each application's own create,
 * configuration, domains and deploy stay in order) run at once, after the stack's leading environment changes and
 * before whatever follows them (prunes, duplicates, environment deletions), which runs one by one as planned.
 * How many requests are in flight at once is still bounded by the target's HTTP client, not here.
 */
import type { StackError } from "./errors.ts";
import type { Change } from "./plan/types.ts";

/** A stack's changes in three phases: `before` in order, then every group at once (each in order), then `after`. */
export interface StackPhases {
  before: Change[];
  groups: Change[][];
  after: Change[];
}

const APPLICATION_OPS = new Set(["createApplication", "updateApplication", "createDomain", "updateDomain", "deleteDomain", "deployApplication"]);

/** The application a change belongs to (`stack/shop app/web`), or null when it is not one application's own step. */
function applicationOf(change: Change): string | null {
  if (!APPLICATION_OPS.has(change.operation.op)) return null;
  const match = /^(stack\/\S+ app\/[^\s]+)(?: domain\/\S+)?$/.exec(change.subject);
  return match ? match[1]! : null;
}

/** stackPhases splits `changes` (in plan order) into phases; see the file comment. */
export function stackPhases(changes: readonly Change[]): StackPhases {
  const phases: StackPhases = { before: [], groups: [], after: [] };
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const app = phases.after.length === 0 ? applicationOf(change) : null;
    if (app === null) {
      (groups.size === 0 ? phases.before : phases.after).push(change);
      continue;
    }
    const group = groups.get(app);
    if (group) group.push(change);
    else groups.set(app, [change]);
  }
  phases.groups = [...groups.values()];
  return phases;
}

/**
 * runStackChanges runs `changes` by phases with `run`, which returns an error instead of throwing. After the first
 * error no further change starts (those in flight finish); `done` is called for each change that succeeded.
 * Returns the errors, in the order they happened.
 */
export async function runStackChanges(changes: readonly Change[], run: (change: Change) => Promise<StackError | undefined>, done: (change: Change) => void): Promise<StackError[]> {
  const errors: StackError[] = [];
  const inOrder = async (list: readonly Change[]) => {
    for (const change of list) {
      if (errors.length > 0) return;
      const error = await run(change);
      if (error) errors.push(error);
      else done(change);
    }
  };
  const phases = stackPhases(changes);
  await inOrder(phases.before);
  await Promise.all(phases.groups.map(inOrder));
  await inOrder(phases.after);
  return errors;
}
