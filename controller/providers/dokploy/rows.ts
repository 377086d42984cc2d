/**
 * The parts of Dokploy's answers that stackctl reads, as zod schemas. Unknown columns pass through unchecked; a
 * missing or mistyped column that stackctl relies on becomes an `http.bad-response` error naming the call.
 * Shapes follow the v0.30.2 recordings (`project.all`, `project.one`, `application.one`).
 */
import { z } from "zod";

const str = z.string();
const nstr = z.string().nullish();

const TagRow = z.looseObject({ tagId: str, name: str });

const AppSummary = z.looseObject({ applicationId: str, name: str, description: nstr, appName: nstr });

/** The database service kinds Dokploy nests in every environment, each keyed `<kind>Id`. */
export const DATABASE_KINDS = ["postgres", "mysql", "mariadb", "mongo", "redis", "libsql"] as const;

const ServiceSummary = (idKey: string) => z.looseObject({ [idKey]: str, name: nstr });
const databaseLists = Object.fromEntries(DATABASE_KINDS.map((k) => [k, z.array(ServiceSummary(`${k}Id`)).default([])]));

const EnvironmentRow = z.looseObject({
  environmentId: str,
  name: str,
  description: nstr,
  isDefault: z.boolean().nullish(),
  applications: z.array(AppSummary).default([]),
  compose: z.array(ServiceSummary("composeId")).default([]),
  ...(databaseLists as Record<(typeof DATABASE_KINDS)[number], z.ZodDefault<z.ZodArray<ReturnType<typeof ServiceSummary>>>>),
});

/** A project as `project.all` (summary) and `project.one` (with descriptions) return it. */
export const ProjectRow = z.looseObject({
  projectId: str,
  name: str,
  description: nstr,
  projectTags: z.array(z.looseObject({ tagId: str, tag: TagRow.nullish() })).nullish(),
  environments: z.array(EnvironmentRow).default([]),
});
export type ProjectRow = z.infer<typeof ProjectRow>;
export type EnvironmentRow = z.infer<typeof EnvironmentRow>;

/** `project.all`. */
export const ProjectList = z.array(ProjectRow);

/** `tag.all`. */
export const TagList = z.array(TagRow);

/** A Docker Swarm HealthConfig as Dokploy stores it (durations in nanoseconds). */
export const HealthCheckSwarm = z.looseObject({
  Test: z.array(str).optional(),
  Interval: z.number().optional(),
  Timeout: z.number().optional(),
  StartPeriod: z.number().optional(),
  Retries: z.number().optional(),
});
export type HealthCheckSwarm = z.infer<typeof HealthCheckSwarm>;

/** One row of `application.one`.mounts. */
export const MountRow = z.looseObject({
  mountId: str,
  type: str,
  hostPath: nstr,
  volumeName: nstr,
  mountPath: str,
});
export type MountRow = z.infer<typeof MountRow>;

/** One row of `application.one`.domains. */
export const DomainRow = z.looseObject({
  domainId: str,
  host: str,
  path: nstr,
  port: z.number().nullish(),
  https: z.boolean().nullish(),
});
export type DomainRow = z.infer<typeof DomainRow>;

/** `application.one`: the columns stackctl maps, plus nested domains and mounts. */
export const ApplicationRow = z.looseObject({
  applicationId: str,
  name: str,
  description: nstr,
  appName: nstr,
  sourceType: nstr,
  dockerImage: nstr,
  username: nstr,
  password: nstr,
  registryUrl: nstr,
  customGitUrl: nstr,
  customGitBranch: nstr,
  customGitBuildPath: nstr,
  owner: nstr,
  repository: nstr,
  branch: nstr,
  buildPath: nstr,
  buildType: nstr,
  dockerfile: nstr,
  command: nstr,
  env: nstr,
  buildArgs: nstr,
  replicas: z.number().nullish(),
  cpuLimit: nstr,
  memoryLimit: nstr,
  healthCheckSwarm: HealthCheckSwarm.nullish(),
  applicationStatus: nstr,
  mounts: z.array(MountRow).optional(),
  domains: z.array(DomainRow).optional(),
});
export type ApplicationRow = z.infer<typeof ApplicationRow>;

/** `project.create`: the new project and its default environment. */
export const CreatedProject = z.looseObject({
  project: z.looseObject({ projectId: str }),
  environment: z.looseObject({ environmentId: str, name: str }).nullish(),
});

/** Rows that only need their id: `environment.create`, `application.create`, `domain.create`, `tag.create`. */
export const IdRow = (key: string) => z.looseObject({ [key]: str });
/** application.create's answer: the new row, with the Docker service name Dokploy gave it. */
export const CreatedApplication = z.looseObject({ applicationId: str, appName: z.string().nullish() });
