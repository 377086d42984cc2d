/**
 * observe(): reads a Dokploy organisation into the neutral model in 1 + P + A requests: `project.all` (every
 * project with its environments and application ids), then, concurrently, `project.one` for each of the P
 * projects in scope (environment and application descriptions) and `application.one` for each of their A
 * applications (full configuration, domains, mounts). The HTTP client bounds how many run at once.
 */
import type { HttpClient } from "../../http/client.ts";
import { isProviderError } from "../../http/errors.ts";
import type { ActualApplication, ActualEnvironment, ActualOther, ActualProject, ActualState } from "../../model.ts";
import { parseMarker } from "../../ownership.ts";
import type { ObserveRequest } from "../../provider.ts";
import { query } from "./api.ts";
import { runtimeFromStatus } from "./mapping.ts";
import { appSpecFromRow, domainsFromRows } from "./mapping.ts";
import { ApplicationRow, DATABASE_KINDS, ProjectList, ProjectRow } from "./rows.ts";
import { sharedRead } from "./shared-reads.ts";
import type { EnvironmentRow } from "./rows.ts";

/** Project ids by name, as of the last `project.all` and the provider's own creates and deletes. */
export type ProjectIds = Map<string, string>;

/**
 * observeDokploy reads all projects in summary and those `request` names or marks in full. With `onlyNamed` and
 * `knownProjectsOnly`, projects whose ids `ids` remembers are read directly (`project.one`, then their
 * applications), skipping `project.all`, whose answer grows with the whole server; any name it does not know, or
 * an id that no longer answers with that name, falls back to the full read, which refreshes `ids`.
 */
export async function observeDokploy(http: HttpClient, request: ObserveRequest, ids: ProjectIds = new Map()): Promise<ActualState> {
  if (request.onlyNamed && request.knownProjectsOnly) {
    const direct = await readKnownProjects(http, request, ids);
    if (direct) return direct;
  }
  const summary = (await sharedRead(http, "project.all", () => query(http, "project.all", undefined, ProjectList))).map(slimProject);
  ids.clear();
  for (const p of summary) ids.set(p.name, p.projectId);
  const inScope = (p: ProjectRow) =>
    request.projectNames.has(p.name) || (!request.onlyNamed && parseMarker(p.description)?.instance === request.instance);
  const projects = await Promise.all(summary.map((p) => (inScope(p) ? readProject(http, p, request) : Promise.resolve(summaryProject(p)))));
  return { projects: projects.filter((p): p is ActualProject => p !== null) };
}

/** The named projects read by remembered id; null when one is unknown, gone or renamed (the caller reads all). */
async function readKnownProjects(http: HttpClient, request: ObserveRequest, ids: ProjectIds): Promise<ActualState | null> {
  const names = [...request.projectNames];
  if (names.some((name) => !ids.has(name))) return null;
  const details = await Promise.all(names.map((name) => readOrNull(() => query(http, "project.one", { projectId: ids.get(name)! }, ProjectRow))));
  if (details.some((d, i) => d === null || d.name !== names[i])) return null;
  const projects = await Promise.all(details.map((d) => readProject(http, d!, request, d!)));
  if (projects.some((p) => p === null)) return null;
  return { projects: projects as ActualProject[] };
}

/** Reads one project in full (`detail` when already read); null when it vanished since `project.all`. */
async function readProject(http: HttpClient, p: ProjectRow, request: ObserveRequest, detail?: ProjectRow): Promise<ActualProject | null> {
  const wanted = p.environments.flatMap((env) =>
    env.applications.filter((a) => request.detailApplications?.(p.name, env.name, a.name) ?? true).map((a) => a.applicationId),
  );
  if (!detail) await request.paceReads?.();
  // project.one does not wait for anything: its application ids are already known from project.all (or from it).
  const [full, rows] = await Promise.all([
    detail ?? readOrNull(() => query(http, "project.one", { projectId: p.projectId }, ProjectRow)),
    Promise.all(wanted.map((id) => readOrNull(() => query(http, "application.one", { applicationId: id }, ApplicationRow)))),
  ]);
  if (full === null) return null;
  const byId = new Map(rows.filter((r) => r !== null).map((r) => [r.applicationId, r]));
  return {
    id: full.projectId,
    name: full.name,
    description: full.description ?? null,
    owner: parseMarker(full.description),
    detailed: true,
    environments: full.environments.map((env) => environment(env, byId)),
  };
}

function environment(env: EnvironmentRow, rows: ReadonlyMap<string, ApplicationRow>): ActualEnvironment {
  return {
    id: env.environmentId,
    name: env.name,
    isDefault: env.isDefault ?? false,
    description: env.description ?? null,
    owner: parseMarker(env.description),
    applications: env.applications.map((a) => application(a, rows.get(a.applicationId))),
    others: otherServices(env),
  };
}

/** The environment's compose services and databases: never stackctl's, so they keep the environment in place. */
function otherServices(env: EnvironmentRow): ActualOther[] {
  const compose = env.compose.map((c) => ({ kind: "compose service", id: String(c["composeId"]), name: c.name ?? null }));
  const databases = DATABASE_KINDS.flatMap((kind) => env[kind].map((d) => ({ kind: `${kind} database`, id: String(d[`${kind}Id`]), name: d.name ?? null })));
  return [...compose, ...databases];
}

function application(a: EnvironmentRow["applications"][number], row: ApplicationRow | undefined): ActualApplication {
  const description = (row ? row.description : a.description) ?? null;
  const base: ActualApplication = { id: a.applicationId, name: a.name, description, owner: parseMarker(description) };
  return row ? { ...base, spec: appSpecFromRow(row), domains: domainsFromRows(row.domains ?? []), runtime: runtimeFromStatus(row.applicationStatus) } : base;
}

/**
 * A `project.all` row cut to what observe reads. The answer holds the whole server, every application with all its
 * columns, and a teardown sweep keeps it for the quarter of a drift interval its survey lasts: left whole, it was
 * about 60 MiB of a 10,000-stack controller's heap for that time.
 */
function slimProject(p: ProjectRow): ProjectRow {
  const environments = p.environments.map((env) => ({
    environmentId: env.environmentId,
    name: env.name,
    description: env.description ?? null,
    isDefault: env.isDefault ?? false,
    applications: env.applications.map((a) => ({ applicationId: a.applicationId, name: a.name, description: a.description ?? null, appName: a.appName ?? null })),
    compose: env.compose.map((c) => ({ composeId: String(c["composeId"]), name: c.name ?? null })),
    ...(Object.fromEntries(DATABASE_KINDS.map((k) => [k, env[k].map((d) => ({ [`${k}Id`]: String(d[`${k}Id`]), name: d.name ?? null }))])) as unknown as Pick<EnvironmentRow, (typeof DATABASE_KINDS)[number]>),
  }));
  return { projectId: p.projectId, name: p.name, description: p.description ?? null, environments };
}

/** A project outside the request, from `project.all` alone: descriptions of its children are unknown. */
function summaryProject(p: ProjectRow): ActualProject {
  return {
    id: p.projectId,
    name: p.name,
    description: p.description ?? null,
    owner: parseMarker(p.description),
    detailed: false,
    environments: p.environments.map((env) => environment(env, new Map())),
  };
}

/** An object deleted between `project.all` and its detailed read is simply absent. */
async function readOrNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (isProviderError(err, "http.not-found")) return null;
    throw err;
  }
}
