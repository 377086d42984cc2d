/**
 * Response shapes. Dokploy nests different column subsets per call (recordings #3, #4, #10, #11, #52, #67-#70), so
 * each view below copies one of them exactly; keys not listed here would be a difference from the real server.
 */
import { DATABASE_KINDS } from "./rows.ts";
import type { ApplicationRow, ComposeRow, DatabaseRow, DomainRow, EnvironmentRow, ProjectRow, TagRow } from "./rows.ts";
import type { DokployStore } from "./store.ts";

/**
 * The database services of an environment, one list per kind keyed as Dokploy keys them (`postgres[{postgresId…}]`).
 * `project.all` carries the id alone (as observed); the other views the columns they nest for applications too.
 */
function databases(rows: readonly DatabaseRow[], detailed: boolean): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const kind of DATABASE_KINDS) {
    out[kind] = rows.filter((d) => d.kind === kind).map((d) => detailed
      ? { name: d.name, description: d.description, appName: d.appName, createdAt: d.createdAt, serverId: null, applicationStatus: d.applicationStatus, [`${kind}Id`]: d.databaseId, server: null }
      : { [`${kind}Id`]: d.databaseId });
  }
  return out;
}

function pick<T extends object, K extends keyof T>(row: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = row[k];
  return out;
}

function projectTags(store: DokployStore, projectId: string) {
  return store.tagLinksOf(projectId).map((pt) => ({ ...pt, tag: store.tag(pt.tagId) ?? null }));
}

/** Services as nested by `project.one` and `environment.byProjectId` (with appName; compose icon only in the latter). */
function servicesWithAppName(store: DokployStore, env: EnvironmentRow, composeIcon: boolean) {
  return {
    applications: store.applicationsIn(env.environmentId).map((a) => ({
      ...pick(a, ["name", "description", "appName", "createdAt"]), serverId: a["serverId"] ?? null,
      applicationStatus: a.applicationStatus, applicationId: a.applicationId, icon: a["icon"] ?? null, server: null,
    })),
    compose: store.composeIn(env.environmentId).map((c) => ({
      ...pick(c, ["name", "description", "appName", "createdAt"]), serverId: c["serverId"] ?? null, composeId: c.composeId,
      composeStatus: c.composeStatus, ...(composeIcon ? { icon: c["icon"] ?? null } : {}), server: null,
    })),
  };
}

/** Rows grouped by a key, each group in table order (what `filter` per key would give, in one pass). */
function groupBy<T>(rows: readonly T[], key: (row: T) => string | null): Map<string | null, T[]> {
  const groups = new Map<string | null, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/**
 * `project.all`: every project, newest first; services reduced to id, name and status; no domains. Children are
 * grouped once per call, so the answer costs time linear in the tables, as the real server's joins do.
 */
export function projectAllView(store: DokployStore): unknown[] {
  const envs = groupBy(store.environments, (e) => e.projectId);
  const apps = groupBy(store.applications, (a) => a.environmentId);
  const compose = groupBy(store.compose, (c) => c.environmentId);
  const dbs = groupBy(store.databases, (d) => d.environmentId);
  const links = groupBy(store.projectTags, (pt) => pt.projectId);
  const tags = new Map<string, TagRow>();
  for (const t of store.tags) if (!tags.has(t.tagId)) tags.set(t.tagId, t);
  return [...store.projects].reverse().map((p) => ({
    ...p,
    environments: (envs.get(p.projectId) ?? []).map((e) => ({
      ...pick(e, ["name", "environmentId", "isDefault"]),
      applications: (apps.get(e.environmentId) ?? []).map((a) => pick(a, ["applicationId", "name", "applicationStatus"])),
      ...databases(dbs.get(e.environmentId) ?? [], false),
      compose: (compose.get(e.environmentId) ?? []).map((c) => pick(c, ["composeId", "name", "composeStatus"])),
    })),
    projectTags: (links.get(p.projectId) ?? []).map((pt) => ({ ...pt, tag: tags.get(pt.tagId) ?? null })),
  }));
}

/** `project.one`: the project, its environments (all columns) and their services (with appName, no domains). */
export function projectOneView(store: DokployStore, p: ProjectRow): unknown {
  return {
    ...p,
    environments: store.environmentsOf(p.projectId).map((e) => ({ ...e, ...databases(store.databasesIn(e.environmentId), true), ...servicesWithAppName(store, e, false) })),
    projectTags: projectTags(store, p.projectId),
  };
}

/** One element of `environment.byProjectId`: a few env columns, services with appName, and the project row. */
export function environmentByProjectView(store: DokployStore, e: EnvironmentRow): unknown {
  return {
    ...pick(e, ["name", "description", "environmentId", "isDefault"]), ...databases(store.databasesIn(e.environmentId), true),
    ...servicesWithAppName(store, e, true), project: store.project(e.projectId) ?? null,
  };
}

/** `environment.one`: services without appName (recording #70), plus the project row. */
export function environmentOneView(store: DokployStore, e: EnvironmentRow): unknown {
  return {
    ...pick(e, ["name", "description", "environmentId", "isDefault", "projectId", "env"]), ...databases(store.databasesIn(e.environmentId), true),
    applications: store.applicationsIn(e.environmentId).map((a) => ({
      ...pick(a, ["name", "applicationId", "createdAt", "applicationStatus", "description"]), serverId: a["serverId"] ?? null, icon: a["icon"] ?? null, server: null,
    })),
    compose: store.composeIn(e.environmentId).map((c) => ({
      ...pick(c, ["composeId", "name", "createdAt", "composeStatus", "description"]), serverId: c["serverId"] ?? null, icon: c["icon"] ?? null, server: null,
    })),
    project: store.project(e.projectId) ?? null,
  };
}

function environmentWithProject(store: DokployStore, environmentId: string): unknown {
  const e = store.environment(environmentId);
  return e ? { ...e, project: store.project(e.projectId) ?? null } : null;
}

/** `findApplicationById`: the row with its relations (returned by stop, start and delete). */
export function applicationFullView(store: DokployStore, a: ApplicationRow): Record<string, unknown> {
  return {
    ...a, environment: environmentWithProject(store, a.environmentId),
    domains: store.domainsOf(a.applicationId), deployments: store.deploymentsOf(a.applicationId), mounts: store.mountsOf(a.applicationId),
    redirects: [], security: [], ports: [], gitlab: null, github: null, bitbucket: null, gitea: null, server: null,
    previewDeployments: [], registry: null, buildRegistry: null, rollbackRegistry: null,
  };
}

/** `application.one`: the full view plus the git-provider access flags. */
export function applicationOneView(store: DokployStore, a: ApplicationRow): unknown {
  return { ...applicationFullView(store, a), hasGitProviderAccess: true, unauthorizedProvider: null };
}

/** `findComposeById`: the row with its relations (returned by compose.delete). */
export function composeFullView(store: DokployStore, c: ComposeRow): Record<string, unknown> {
  return {
    ...c, environment: environmentWithProject(store, c.environmentId), deployments: store.deploymentsOf(c.composeId),
    mounts: store.mountsOf(c.composeId), domains: store.domainsOf(c.composeId),
    github: null, gitlab: null, bitbucket: null, gitea: null, server: null, backups: [],
  };
}

/** `compose.one`: the full view plus the git-provider access flags. */
export function composeOneView(store: DokployStore, c: ComposeRow): unknown {
  return { ...composeFullView(store, c), hasGitProviderAccess: true, unauthorizedProvider: null };
}

/** `domain.one` / `domain.byApplicationId` element: the row plus `application{applicationId,appName,name}`. */
export function domainView(store: DokployStore, d: DomainRow): unknown {
  const a = d.applicationId ? store.application(d.applicationId) : undefined;
  return { ...d, application: a ? pick(a, ["applicationId", "appName", "name"]) : null };
}
