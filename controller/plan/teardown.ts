/**
 * Teardown: stacks whose manifests are gone (and that did not fail to load) lose their applications and
 * environments; projects this instance owns are deleted once the plan empties them. An environment or project that
 * holds anything the plan does not delete — a compose service, a database, someone else's application — stays,
 * with a `keep` note saying why. Objects of a stack with the deletion policy `orphan` stay where they are, and
 * objects handed over to a stack that now declares them (a rename) are not torn down.
 */
import { subjectOf } from "../errors.ts";
import type { ActualState } from "../model.ts";
import { isOwnedBy } from "../ownership.ts";
import { deleteApplication } from "./application.ts";
import { deletedIds } from "./guard.ts";
import { environmentKeeper, foreignContents, keeper } from "./contents.ts";
import type { Handover } from "./handover.ts";
import type { ObservedIndex } from "./observed.ts";
import { deleteEnvironment } from "./stack.ts";
import type { Change, Kept, StackPlan } from "./types.ts";

/** What teardown planning reads. */
export interface TeardownInput {
  actual: ActualState;
  observed: ObservedIndex;
  instance: string;
  /** Stacks that must not be torn down: declared, failed or suspended. */
  keep: { has(stack: string): boolean };
  handover: Handover;
  /** Collects the containers kept in place. */
  kept: Kept[];
}

/** planTeardowns plans the removal of every managed stack not in `keep`. */
export function planTeardowns(input: TeardownInput): StackPlan[] {
  const plans: StackPlan[] = [];
  // Only the stacks to tear down are sorted (usually few): sorting every managed stack cost O(N log N) per plan.
  const gone = [...input.observed.managedStacks].filter(([stack]) => !input.keep.has(stack));
  for (const [stack, { orphan }] of gone.sort(([a], [b]) => a.localeCompare(b))) {
    if (orphan) {
      plans.push({ stack, file: null, mode: "orphan", changes: [], errors: [] });
      continue;
    }
    const apps = (input.observed.applicationsByStack.get(stack) ?? []).filter(({ app }) => !input.handover.has(app.id));
    const changes: Change[] = apps.map(({ app }) => deleteApplication(app, subjectOf(stack, ["app", app.name])));
    const deleted = new Set(apps.map(({ app }) => app.id));
    for (const { project, env } of input.observed.environmentsByStack.get(stack) ?? []) {
      if (env.isDefault || input.handover.has(env.id)) continue;
      const contents = foreignContents(env, input.instance, deleted);
      if (contents.length === 0) changes.push(deleteEnvironment(project, env));
      else {
        const kept = environmentKeeper(project, env, contents);
        if (kept) input.kept.push(kept);
      }
    }
    // A stack renamed away whose objects all go to its new name has nothing left to tear down: no entry at all.
    const handedOver = (input.observed.applicationsByStack.get(stack) ?? []).length > apps.length || (input.observed.environmentsByStack.get(stack) ?? []).some(({ env }) => input.handover.has(env.id));
    if (changes.length === 0 && handedOver) continue;
    plans.push({ stack, file: null, mode: "teardown", changes, errors: [] });
  }
  return plans;
}

/** What project cleanup reads besides the teardown input. */
export interface CleanupInput extends TeardownInput {
  /** Projects some desired stack uses. */
  usedProjects: ReadonlySet<string>;
  stacks: readonly StackPlan[];
}

/**
 * planCleanup deletes projects this instance owns that no desired stack uses, once the plan empties them: every
 * application in them is deleted by the plan, every environment is deleted or is the undeletable default, and
 * nothing else (compose services, databases, environments of others) is left inside.
 */
export function planCleanup(input: CleanupInput): Change[] {
  const deleted = deletedIds(input.stacks);
  const changes: Change[] = [];
  // The candidates are picked before they are sorted: sorting the whole server cost O(N log N) per plan.
  const unused = input.actual.projects.filter((p) => p.detailed && isOwnedBy(p.owner, input.instance) && !input.usedProjects.has(p.name));
  for (const project of unused.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))) {
    const keptByStack = project.environments.some((env) => env.owner?.instance === input.instance && input.keep.has(env.owner.stack) || input.handover.has(env.id));
    if (keptByStack) continue;
    const contents = project.environments.flatMap((env) => [
      ...(deleted.has(env.id) || env.isDefault ? [] : [env.owner?.instance === input.instance ? "application of another stack" : "environment"]),
      ...foreignContents(env, input.instance, deleted),
    ]);
    if (contents.length === 0) {
      changes.push({ action: "delete", kind: "project", subject: `project/${project.name}`, diff: [], operation: { op: "deleteProject", id: project.id } });
    } else {
      const kept = keeper("project", `project/${project.name}`, contents);
      if (kept) input.kept.push(kept);
    }
  }
  return changes;
}
