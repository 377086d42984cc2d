/**
 * observe(): reads a Coolify team into the neutral model in 1 + P + 3 + 2A requests: `GET /projects` (all projects,
 * no environments), then concurrently `GET /projects/{uuid}` for each of the P projects in scope (environments
 * with their ids and descriptions), one `GET /applications` (every application of the team with its full
 * configuration) and the team's services and databases (`GET /services`, `GET /databases`: they keep an environment
 * from removal, see others.ts), then `GET /applications/{uuid}/envs` and `/storages` for each of the A applications
 * read in full. With no project in scope it costs 1 request. A reconcile of one stack in a known project reads it
 * by uuid (see observeCoolify): 1 + E + 2A requests for its project's E environments, plus the two team-wide
 * lists only when its plan may remove one of those environments (ObserveRequest.mayRemoveEnvironment).
 */
import { isProviderError } from "../../http/errors.ts";
import type { ActualApplication, ActualEnvironment, ActualProject, ActualState } from "../../model.ts";
import { parseMarker } from "../../ownership.ts";
import type { ObserveRequest } from "../../provider.ts";
import { read } from "./api.ts";
import { runtimeFromStatus } from "./deployments.ts";
import { readEnv } from "./env.ts";
import { readVolumes } from "./storages.ts";
import { appSpecFromRow, domainsFromFqdn } from "./mapping.ts";
import { decodeDescription } from "./marker.ts";
import { othersInDetails, readOthers } from "./others.ts";
import type { OthersByEnvironment } from "./others.ts";
import { ApplicationList, EnvironmentApplications, EnvList, ProjectDetail, ProjectList } from "./rows.ts";
import type { ApplicationRow, EnvironmentRow, ProjectSummary } from "./rows.ts";
import type { Transport } from "./transport.ts";

/** The environment Coolify creates with every project. */
export const DEFAULT_ENVIRONMENT = "production";

/** Project uuids by name, as of the last `GET /projects` and the provider's own creates and deletes. */
export type ProjectUuids = Map<string, string>;

/**
 * observeCoolify reads all projects in summary and those `request` names or marks in full. With `onlyNamed` and
 * `knownProjectsOnly`, projects whose uuids `uuids` remembers are read directly: `GET /projects/{uuid}` and, per
 * environment, `GET /projects/{uuid}/{environment}` (its applications), so a reconcile reads its own stack's
 * applications instead of `GET /applications`, the team's every one (which made a drift pass O(N²) bytes). A name
 * it does not know is looked up in `GET /projects` first (a project that does not exist is then reported absent,
 * what the full read would say); a uuid that no longer answers with that name falls back to the full read. Every
 * `GET /projects` refreshes `uuids`.
 */
export async function observeCoolify(http: Transport, request: ObserveRequest, fpSecret: (appUuid: string) => string, uuids: ProjectUuids = new Map()): Promise<ActualState> {
  if (request.onlyNamed && request.knownProjectsOnly) {
    const names = [...request.projectNames];
    if (names.some((name) => !uuids.has(name))) {
      // Not known yet (a controller's first reconciles): the list of projects tells their uuids, or that none exists.
      const summary = await listProjects(http, uuids);
      if (names.every((name) => !uuids.has(name))) return { projects: summary.map(summaryProject) };
    }
    const direct = await readKnownProjects(http, request, fpSecret, uuids);
    if (direct) return direct;
  }
  const summary = await listProjects(http, uuids);
  const inScope = (p: ProjectSummary) =>
    request.projectNames.has(p.name) || (!request.onlyNamed && parseMarker(decodeDescription(p.description))?.instance === request.instance);
  const scoped = summary.filter(inScope);
  if (scoped.length === 0) return { projects: summary.map(summaryProject) };
  // Services and databases (see others.ts) keep an environment from removal: two team-wide lists beside the apps.
  const [details, apps, others] = await Promise.all([
    Promise.all(scoped.map(async (p) => {
      await request.paceReads?.();
      return readOrNull(() => read(http, `/projects/${p.uuid}`, ProjectDetail));
    })),
    read(http, "/applications", ApplicationList),
    readOthers(http),
  ]);
  const byEnvironment = new Map<number, ApplicationRow[]>();
  for (const app of apps) byEnvironment.set(app.environment_id, [...(byEnvironment.get(app.environment_id) ?? []), app]);
  const detailed = new Map(details.filter((d) => d !== null).map((d) => [d.uuid, d]));
  const projects = await Promise.all(summary.map(async (p): Promise<ActualProject | null> => {
    if (!inScope(p)) return summaryProject(p);
    const d = detailed.get(p.uuid);
    if (!d) return null; // deleted since GET /projects
    const environments = await Promise.all(d.environments.map((env) => environment(http, request, d.name, env, byEnvironment.get(env.id) ?? [], fpSecret, others)));
    const description = decodeDescription(d.description);
    return { id: d.uuid, name: d.name, description, owner: parseMarker(description), detailed: true, environments };
  }));
  return { projects: projects.filter((p): p is ActualProject => p !== null) };
}

/** listProjects reads `GET /projects` and remembers every project's uuid by name. */
async function listProjects(http: Transport, uuids: ProjectUuids): Promise<ProjectSummary[]> {
  const summary = await read(http, "/projects", ProjectList);
  uuids.clear();
  for (const p of summary) uuids.set(p.name, p.uuid);
  return summary;
}

/**
 * The named projects read by remembered uuid, each environment with its own applications; null to read in full.
 * What else an environment holds comes from its details, or, when the caller may remove one of these environments,
 * from the team's lists of services and databases (the details omit some database engines: see others.ts).
 */
async function readKnownProjects(http: Transport, request: ObserveRequest, fpSecret: (uuid: string) => string, uuids: ProjectUuids): Promise<ActualState | null> {
  const names = [...request.projectNames];
  if (names.some((name) => !uuids.has(name))) return null;
  const details = await Promise.all(names.map((name) => readOrNull(() => read(http, `/projects/${uuids.get(name)!}`, ProjectDetail))));
  if (details.some((d, i) => d === null || d.name !== names[i])) return null;
  const known = details as ProjectDetail[];
  const mayRemove = request.mayRemoveEnvironment ?? (() => true);
  const removable = known.some((d) => d.environments.some((env) => mayRemove(d.name, env.name, parseMarker(decodeDescription(env.description)))));
  const [teamOthers, listings] = await Promise.all([
    removable ? readOthers(http) : null,
    Promise.all(known.map((d) => Promise.all(d.environments.map((env) => readOrNull(() => read(http, `/projects/${d.uuid}/${env.uuid}`, EnvironmentApplications)))))),
  ]);
  if (listings.some((envs) => envs.some((listed) => listed === null))) return null; // an environment deleted meanwhile
  const projects = await Promise.all(known.map(async (d, i): Promise<ActualProject> => {
    const environments = await Promise.all(d.environments.map((env, j) => {
      const listed = listings[i]![j]!;
      const others: OthersByEnvironment = teamOthers ?? new Map([[env.id, othersInDetails(listed)]]);
      return environment(http, request, d.name, env, listed.applications, fpSecret, others);
    }));
    const description = decodeDescription(d.description);
    return { id: d.uuid, name: d.name, description, owner: parseMarker(description), detailed: true, environments };
  }));
  return { projects };
}

async function environment(http: Transport, request: ObserveRequest, project: string, env: EnvironmentRow, apps: readonly ApplicationRow[], fpSecret: (uuid: string) => string, others: OthersByEnvironment): Promise<ActualEnvironment> {
  const applications = await Promise.all(apps.map(async (row): Promise<ActualApplication> => {
    const description = decodeDescription(row.description);
    const base: ActualApplication = { id: row.uuid, name: row.name, description, owner: parseMarker(description) };
    if (!(request.detailApplications?.(project, env.name, row.name) ?? true)) return base;
    const [envRows, volumes] = await Promise.all([readOrNull(() => read(http, `/applications/${row.uuid}/envs`, EnvList)), readOrNull(() => readVolumes(http, row.uuid))]);
    const spec = appSpecFromRow(row);
    if (volumes) spec.volumes = volumes;
    const vars = envRows && readEnv(envRows, request.desiredValues?.(project, env.name, row.name), fpSecret(row.uuid));
    if (vars) Object.assign(spec, vars);
    return { ...base, spec, domains: domainsFromFqdn(row.fqdn, row.ports_exposes), runtime: runtimeFromStatus(row.status, row.health_check_enabled === true).state };
  }));
  const description = decodeDescription(env.description);
  return { id: env.uuid, name: env.name, isDefault: env.name === DEFAULT_ENVIRONMENT, description, owner: parseMarker(description), applications, others: others.get(env.id) ?? [] };
}

/** A project outside the request: Coolify's list carries no environments, so none are reported. */
function summaryProject(p: ProjectSummary): ActualProject {
  const description = decodeDescription(p.description);
  return { id: p.uuid, name: p.name, description, owner: parseMarker(description), detailed: false, environments: [] };
}

/** An object deleted between the list and its detailed read is simply absent. */
async function readOrNull<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (isProviderError(err, "http.not-found")) return null;
    throw err;
  }
}
