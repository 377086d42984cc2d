/**
 * The observed state indexed by ownership marker, built once per plan: which applications and environments each
 * stack of this instance owns, which stacks the markers mention, and how many objects the instance owns in all.
 * Planning looks stacks up here instead of scanning every project per stack (which made a plan O(stacks × projects)).
 */
import type { ActualApplication, ActualEnvironment, ActualProject, ActualState } from "../model.ts";

/** An environment with its project. */
export interface Located {
  project: ActualProject;
  env: ActualEnvironment;
}

/** An application with its environment and project. */
export type LocatedApp = Located & { app: ActualApplication };

/** What the markers of one instance say about the observed state. */
export interface OwnerIndex {
  /** Applications marked for each stack, in observed order. */
  applications: ReadonlyMap<string, readonly LocatedApp[]>;
  /** Environments marked for each stack, in observed order. */
  environments: ReadonlyMap<string, readonly Located[]>;
  /** Every stack an environment or application marker names, with its deletion policy (orphan if any says so). */
  stacks: ReadonlyMap<string, { orphan: boolean }>;
  /** The stack named by the marker of every project, environment and application the instance's markers claim. */
  stackOf: ReadonlyMap<string, string>;
}

/** indexOwners reads every marker of `instance` in `actual` once. */
export function indexOwners(actual: ActualState, instance: string): OwnerIndex {
  const applications = new Map<string, LocatedApp[]>();
  const environments = new Map<string, Located[]>();
  const stacks = new Map<string, { orphan: boolean }>();
  const stackOf = new Map<string, string>();
  const note = (owner: ActualProject["owner"]): string | null => {
    if (owner === null || owner.instance !== instance) return null;
    stacks.set(owner.stack, { orphan: Boolean(stacks.get(owner.stack)?.orphan || owner.orphan) });
    return owner.stack;
  };
  for (const project of actual.projects) {
    if (project.owner?.instance === instance) stackOf.set(project.id, project.owner.stack);
    for (const env of project.environments) {
      const envStack = note(env.owner);
      if (envStack !== null) {
        push(environments, envStack, { project, env });
        stackOf.set(env.id, envStack);
      }
      for (const app of env.applications) {
        const appStack = note(app.owner);
        if (appStack === null) continue;
        push(applications, appStack, { project, env, app });
        stackOf.set(app.id, appStack);
      }
    }
  }
  return { applications, environments, stacks, stackOf };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
