/**
 * Row types of the simulated Dokploy database and the column defaults of a freshly inserted row, copied from the
 * rows a real v0.30.2 server returned (see the recordings, exchanges #2, #9, #25, #61, #66).
 */

/** `project` table. */
export interface ProjectRow {
  projectId: string;
  name: string;
  description: string | null;
  createdAt: string;
  organizationId: string;
  env: string;
}

/** `environment` table. The default (`production`) environment has `isDefault: true`. */
export interface EnvironmentRow {
  environmentId: string;
  name: string;
  description: string | null;
  createdAt: string;
  env: string;
  projectId: string;
  isDefault: boolean;
}

/** Status of an application or compose service, as Dokploy stores it. */
export type ServiceStatus = "idle" | "running" | "done" | "error";

/** `application` table: the typed columns stackctl relies on, plus the ~90 others as plain values. */
export interface ApplicationRow {
  applicationId: string;
  name: string;
  appName: string;
  description: string | null;
  environmentId: string;
  applicationStatus: ServiceStatus;
  createdAt: string;
  [column: string]: unknown;
}

/** `compose` table, same idea as ApplicationRow. */
export interface ComposeRow {
  composeId: string;
  name: string;
  appName: string;
  description: string | null;
  environmentId: string;
  composeStatus: ServiceStatus;
  createdAt: string;
  [column: string]: unknown;
}

/** The database service kinds of Dokploy; each has its own table and router, keyed `<kind>Id`. */
export const DATABASE_KINDS = ["mariadb", "mongo", "mysql", "postgres", "redis", "libsql"] as const;
/** One database service kind. */
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** A row of one of the database tables (`postgres`, `mysql`, …): the columns the project views nest. */
export interface DatabaseRow {
  kind: DatabaseKind;
  databaseId: string;
  name: string;
  appName: string;
  description: string | null;
  environmentId: string;
  applicationStatus: ServiceStatus;
  createdAt: string;
}

/** `domain` table. */
export interface DomainRow {
  domainId: string;
  host: string;
  https: boolean;
  port: number | null;
  customEntrypoint: string | null;
  path: string | null;
  serviceName: string | null;
  domainType: "application" | "compose" | "preview" | null;
  uniqueConfigKey: number;
  createdAt: string;
  composeId: string | null;
  customCertResolver: string | null;
  applicationId: string | null;
  previewDeploymentId: string | null;
  certificateType: "letsencrypt" | "none" | "custom";
  internalPath: string | null;
  stripPath: boolean;
  middlewares: string[] | null;
  forwardAuthEnabled: boolean;
  enabled: boolean;
}

/** `mount` table (bind, volume or file mount of a service). */
export interface MountRow {
  mountId: string;
  type: "bind" | "volume" | "file";
  hostPath: string | null;
  volumeName: string | null;
  filePath: string | null;
  content: string | null;
  serviceType: string;
  mountPath: string;
  applicationId: string | null;
  postgresId: string | null;
  mariadbId: string | null;
  mongoId: string | null;
  mysqlId: string | null;
  redisId: string | null;
  composeId: string | null;
  libsqlId: string | null;
}

/** `deployment` table: one row per deploy/redeploy of an application or compose. */
export interface DeploymentRow {
  deploymentId: string;
  title: string;
  description: string;
  status: "running" | "done" | "error";
  logPath: string;
  pid: null;
  applicationId: string | null;
  composeId: string | null;
  serverId: null;
  isPreviewDeployment: boolean;
  previewDeploymentId: null;
  createdAt: string;
  startedAt: string;
  finishedAt: string | null;
  errorMessage: string | null;
  scheduleId: null;
  backupId: null;
  rollbackId: null;
  volumeBackupId: null;
  buildServerId: null;
}

/** `tag` table (organization-wide, unique name per organization). */
export interface TagRow {
  tagId: string;
  name: string;
  color: string | null;
  createdAt: string;
  organizationId: string;
}

/** `project_tag` join table. */
export interface ProjectTagRow {
  id: string;
  projectId: string;
  tagId: string;
}

/** Column defaults of a new application row, in the server's column order (exchange #25). */
export function applicationDefaults(): Record<string, unknown> {
  const git = (p: string) => ({ [`${p}Repository`]: null, [`${p}Owner`]: null, [`${p}Branch`]: null, [`${p}BuildPath`]: "/" });
  return {
    env: null, previewEnv: null, watchPaths: null, previewBuildArgs: null, previewBuildSecrets: null, previewLabels: null,
    previewWildcard: null, previewPort: 3000, previewHttps: false, previewPath: "/", previewCertificateType: "none",
    previewCustomCertResolver: null, previewLimit: 3, isPreviewDeploymentsActive: false,
    previewRequireCollaboratorPermissions: true, rollbackActive: false, buildArgs: null, buildSecrets: null,
    memoryReservation: null, memoryLimit: null, cpuReservation: null, cpuLimit: null, title: null, enabled: null,
    subtitle: null, command: null, args: null, icon: null, sourceType: "github", cleanCache: false,
    repository: null, owner: null, branch: null, buildPath: "/", triggerType: "push", autoDeploy: true,
    gitlabProjectId: null, ...git("gitlab"), gitlabPathNamespace: null, ...git("gitea"),
    bitbucketRepository: null, bitbucketRepositorySlug: null, bitbucketOwner: null, bitbucketBranch: null, bitbucketBuildPath: "/",
    username: null, password: null, dockerImage: null, registryUrl: null, customGitUrl: null, customGitBranch: null,
    customGitBuildPath: null, customGitSSHKeyId: null, enableSubmodules: false, dockerfile: "Dockerfile",
    dockerContextPath: null, dockerBuildStage: null, dropBuildPath: null, healthCheckSwarm: null, restartPolicySwarm: null,
    placementSwarm: null, updateConfigSwarm: null, rollbackConfigSwarm: null, modeSwarm: null, labelsSwarm: null,
    networkSwarm: null, stopGracePeriodSwarm: null, endpointSpecSwarm: null, ulimitsSwarm: null, replicas: 1,
    applicationStatus: "idle", buildType: "nixpacks", railpackVersion: "0.15.4", herokuVersion: "24",
    publishDirectory: null, isStaticSpa: null, createEnvFile: true, registryId: null, rollbackRegistryId: null,
    githubId: null, gitlabId: null, giteaId: null, bitbucketId: null, serverId: null, buildServerId: null,
    buildRegistryId: null, networkIds: [], detachDokployNetwork: false,
  };
}

/** Column defaults of a new compose row (exchange #71). */
export function composeDefaults(): Record<string, unknown> {
  return {
    env: null, composeFile: "", sourceType: "github", composeType: "docker-compose", repository: null, owner: null,
    branch: null, autoDeploy: true, gitlabProjectId: null, gitlabRepository: null, gitlabOwner: null, gitlabBranch: null,
    gitlabPathNamespace: null, bitbucketRepository: null, bitbucketRepositorySlug: null, bitbucketOwner: null,
    bitbucketBranch: null, giteaRepository: null, giteaOwner: null, giteaBranch: null, customGitUrl: null,
    customGitBranch: null, customGitSSHKeyId: null, command: "", createEnvFile: true, enableSubmodules: false,
    composePath: "./docker-compose.yml", suffix: "", randomize: false, isolatedDeployment: false,
    isolatedDeploymentsVolume: false, triggerType: "push", composeStatus: "idle", icon: null, watchPaths: null,
    githubId: null, gitlabId: null, bitbucketId: null, giteaId: null, serverId: null, serviceNetworks: [],
  };
}

/** Column defaults of a new domain row, without id, host, config key and timestamp (exchange #61). */
export function domainDefaults(): Omit<DomainRow, "domainId" | "host" | "uniqueConfigKey" | "createdAt"> {
  return {
    https: false, port: 3000, customEntrypoint: null, path: "/", serviceName: null, domainType: "application",
    composeId: null, customCertResolver: null, applicationId: null, previewDeploymentId: null, certificateType: "none",
    internalPath: "/", stripPath: false, middlewares: [], forwardAuthEnabled: false, enabled: true,
  };
}
