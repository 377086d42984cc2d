/**
 * Teardown: stacks whose manifests are gone (and that did not fail to load) lose their applications and
 * environments; projects this instance owns are deleted once nothing that any kept stack or anyone else owns is
 * left in them. Objects of a stack with the deletion policy `orphan` stay where they are.
 */
import { subjectOf } from "../errors.ts";
import type { ActualState } from "../model.ts";
import { isOwnedBy } from "../ownership.ts";
import { deleteApplication } from "./application.ts";
import type { ObservedIndex } from "./observed.ts";
import { ownedApplicationsOf, ownedEnvironmentsOf } from "./observed.ts";
import { deleteEnvironment } from "./stack.ts";
import type { Change, StackPlan } from "./types.ts";

/** planTeardowns plans the removal of every managed stack not in `keep`. */
export function planTeardowns(observed: ObservedIndex, keep: ReadonlySet<string>): StackPlan[] {
  const plans: StackPlan[] = [];
  for (const [stack, { orphan }] of [...observed.managedStacks].sort(([a], [b]) => a.localeCompare(b))) {
    if (keep.has(stack)) continue;
    if (orphan) {
      plans.push({ stack, file: null, mode: "orphan", changes: [], errors: [] });
      continue;
    }
    const apps = ownedApplicationsOf(observed, stack);
    const changes: Change[] = apps.map(({ app }) => deleteApplication(app, subjectOf(stack, ["app", app.name])));
    const deleted = new Set(apps.map(({ app }) => app.id));
    for (const { project, env } of ownedEnvironmentsOf(observed, stack)) {
      if (!env.isDefault && env.applications.every((a) => deleted.has(a.id))) changes.push(deleteEnvironment(project, env));
    }
    plans.push({ stack, file: null, mode: "teardown", changes, errors: [] });
  }
  return plans;
}

/**
 * planCleanup deletes projects this instance owns that no desired stack uses, once the plan empties them: every
 * application in them is deleted by the plan and every environment is deleted or is the undeletable default.
 */
export function planCleanup(actual: ActualState, instance: string, usedProjects: ReadonlySet<string>, keep: ReadonlySet<string>, stacks: readonly StackPlan[]): Change[] {
  const deleted = new Set<string>();
  for (const change of stacks.flatMap((s) => (s.errors.length === 0 ? s.changes : []))) {
    const op = change.operation;
    if (op.op === "deleteApplication") deleted.add(op.id);
    if (op.op === "deleteEnvironment" && op.env.environment.id) deleted.add(op.env.environment.id);
  }
  const changes: Change[] = [];
  for (const project of [...actual.projects].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))) {
    if (!project.detailed || !isOwnedBy(project.owner, instance) || usedProjects.has(project.name)) continue;
    const emptied = project.environments.every((env) => {
      const keptByStack = env.owner !== null && env.owner.instance === instance && keep.has(env.owner.stack);
      return !keptByStack && (deleted.has(env.id) || env.isDefault) && env.applications.every((a) => deleted.has(a.id));
    });
    if (emptied) changes.push({ action: "delete", kind: "project", subject: `project/${project.name}`, diff: [], operation: { op: "deleteProject", id: project.id } });
  }
  return changes;
}
