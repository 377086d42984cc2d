/**
 * The observed state indexed once per plan: projects by name, and this instance's environments and applications by
 * the stack their marker names. plan() looks every stack up here instead of scanning the whole server for each one,
 * which kept a plan of N stacks on a server of N projects O(N²) (10,000 stacks took minutes to diff).
 */
import type { ActualApplication, ActualEnvironment, ActualProject, ActualState } from "../model.ts";

/** An object with the project (and environment) that hold it. */
export interface Located {
  project: ActualProject;
  env: ActualEnvironment;
}

/** An application with where it is. */
export type LocatedApplication = Located & { app: ActualApplication };

/** What plan() looks up in the observed state; built by indexObserved. */
export interface ObservedIndex {
  /** Projects of each name, in the server's order (names are not unique on the servers). */
  projectsByName: ReadonlyMap<string, readonly ActualProject[]>;
  /** Applications whose marker names this instance, by the stack it names. */
  applicationsByStack: ReadonlyMap<string, readonly LocatedApplication[]>;
  /** Environments whose marker names this instance, by the stack it names. */
  environmentsByStack: ReadonlyMap<string, readonly Located[]>;
  /** Every stack this instance's environment and application markers mention, and whether any asks to be orphaned. */
  managedStacks: ReadonlyMap<string, { orphan: boolean }>;
}

const NONE: readonly never[] = [];

/** indexObserved reads `actual` once, in O(objects). */
export function indexObserved(actual: ActualState, instance: string): ObservedIndex {
  const projectsByName = new Map<string, ActualProject[]>();
  const applicationsByStack = new Map<string, LocatedApplication[]>();
  const environmentsByStack = new Map<string, Located[]>();
  const managedStacks = new Map<string, { orphan: boolean }>();
  const note = (owner: ActualProject["owner"]): string | null => {
    if (owner === null || owner.instance !== instance) return null;
    const seen = managedStacks.get(owner.stack);
    if (seen === undefined) managedStacks.set(owner.stack, { orphan: owner.orphan === true });
    else if (owner.orphan) seen.orphan = true;
    return owner.stack;
  };
  for (const project of actual.projects) {
    push(projectsByName, project.name, project);
    for (const env of project.environments) {
      const envStack = note(env.owner);
      if (envStack !== null) push(environmentsByStack, envStack, { project, env });
      // An environment's applications are usually its stack's: their list is looked up once, not per application.
      let listedStack: string | null = null;
      let list: LocatedApplication[] = [];
      for (const app of env.applications) {
        const appStack = sameOwner(app.owner, env.owner) ? envStack : note(app.owner);
        if (appStack === null) continue;
        if (listedStack !== appStack) [listedStack, list] = [appStack, listOf(applicationsByStack, appStack)];
        list.push({ project, env, app });
      }
    }
  }
  return { projectsByName, applicationsByStack, environmentsByStack, managedStacks };
}

/** ownedApplicationsOf lists the applications marked for `stack` (of the index's instance), wherever they are. */
export function ownedApplicationsOf(index: ObservedIndex, stack: string): readonly LocatedApplication[] {
  return index.applicationsByStack.get(stack) ?? NONE;
}

/** ownedEnvironmentsOf lists the environments marked for `stack` (of the index's instance). */
export function ownedEnvironmentsOf(index: ObservedIndex, stack: string): readonly Located[] {
  return index.environmentsByStack.get(stack) ?? NONE;
}

/** projectsNamed lists the projects called `name`. */
export function projectsNamed(index: ObservedIndex, name: string): readonly ActualProject[] {
  return index.projectsByName.get(name) ?? NONE;
}

function sameOwner(a: ActualProject["owner"], b: ActualProject["owner"]): boolean {
  return a === b || (a !== null && b !== null && a.instance === b.instance && a.stack === b.stack && Boolean(a.orphan) === Boolean(b.orphan));
}

function listOf<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  return list;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  listOf(map, key).push(value);
}
