/**
 * Single writes against Dokploy. updateApplication calls only the endpoints of the fields that changed and
 * batches every plain column into one `application.update`. Retry policy per call (see api.ts): creates and
 * deploys are sent once; updates, saves, stop and deletes are retried, a delete's 404 on retry counting as done.
 */
import type { HttpClient } from "../../http/client.ts";
import type { AppField, AppSource, AppSpec, DomainSpec, VolumeSpec } from "../../model.ts";
import type { EnvironmentRef } from "../../provider.ts";
import { create, LABEL, mutate, query } from "./api.ts";
import { parseRow } from "../../http/response.ts";
import { formatDotenv } from "./dotenv.ts";
import { coresToNanoCpus, domainBody, healthcheckToSwarm, mountBody, mountKey, volumesFromMounts } from "./mapping.ts";
import { ApplicationRow, CreatedApplication, IdRow } from "./rows.ts";
import type { MountRow } from "./rows.ts";

/** Settings that writes need besides the spec. */
export interface WriteOptions {
  /** Railpack version written with build type railpack (Dokploy's builder needs one; v0.30.2's default). */
  railpackVersion: string;
}

/** Every field, in apply order, that an application can need written when it is created. */
const CREATE_FIELDS: readonly AppField[] = ["source", "command", "env", "buildArgs", "replicas", "cpu", "memoryBytes", "volumes", "healthcheck"];

/**
 * The fields of a new application that differ from what `application.create` leaves (no command, env, build args,
 * limits, mounts or health check, one replica): only those are written, so a plain image app costs its create, its
 * source and its deploy, not a call per field. The source is always written (the row has none).
 */
export function fieldsToWriteOnCreate(spec: AppSpec): AppField[] {
  const unset: Record<AppField, boolean> = {
    source: false,
    command: spec.command === null,
    env: Object.keys(spec.env).length === 0,
    buildArgs: Object.keys(spec.buildArgs).length === 0,
    ports: true,
    replicas: spec.replicas === 1,
    cpu: spec.cpu === null,
    memoryBytes: spec.memoryBytes === null,
    volumes: spec.volumes.length === 0,
    healthcheck: spec.healthcheck === null,
    state: true,
  };
  return CREATE_FIELDS.filter((f) => !unset[f]);
}

/** createApplication creates the application (once), then configures the fields of `spec` that need it. */
export async function createApplication(http: HttpClient, env: EnvironmentRef, name: string, description: string, spec: AppSpec, options: WriteOptions): Promise<{ id: string; appName: string | null }> {
  const body = {
    name,
    // Dokploy suffixes appName randomly; starting it with the name keeps the Docker service recognisable.
    appName: name,
    environmentId: env.environmentId,
    description,
    sourceType: spec.source.kind === "git" ? "git" : "docker",
  };
  const created = parseRow(CreatedApplication, await mutate(http, "application.create", body, "create"), `${LABEL} application.create`);
  const id = created.applicationId;
  // `state` is left to the deploy plan() schedules after a create; a never-deployed service cannot be started.
  await writeFields(http, id, spec, fieldsToWriteOnCreate(spec), undefined, options, []);
  // The Docker service's name (Dokploy suffixes it) comes back with the row: reading runtime needs no read for it.
  return { id, appName: created.appName ?? null };
}

/** updateApplication writes the `fields` of `spec` (and `description` when given) to application `id`. */
export async function updateApplication(http: HttpClient, id: string, spec: AppSpec, fields: readonly AppField[], description: string | undefined, options: WriteOptions): Promise<void> {
  await writeFields(http, id, spec, fields, description, options);
}

/** Writes `fields`; `knownMounts` are the application's mounts when the caller knows them (none, just created). */
async function writeFields(http: HttpClient, id: string, spec: AppSpec, fields: readonly AppField[], description: string | undefined, options: WriteOptions, knownMounts?: readonly MountRow[]): Promise<void> {
  const has = new Set(fields);
  if (has.has("source")) await writeSource(http, id, spec.source, options);
  if (has.has("env") || has.has("buildArgs")) {
    // saveEnvironment requires all four keys; build secrets are not managed by stackctl and are cleared.
    const body = { applicationId: id, env: formatDotenv(spec.env), buildArgs: formatDotenv(spec.buildArgs), buildSecrets: null, createEnvFile: true };
    await mutate(http, "application.saveEnvironment", body, "update");
  }
  const columns = updateColumns(spec, has);
  if (description !== undefined) columns.description = description;
  // application.update with no column answers 500 "No values to set": only call it with something to write.
  if (Object.keys(columns).length > 0) await mutate(http, "application.update", { applicationId: id, ...columns }, "update");
  if (has.has("volumes")) await writeVolumes(http, id, spec.volumes, knownMounts);
  // Running needs no call: plan() deploys after a change to running, and a deploy scales the service back up.
  if (has.has("state") && spec.state === "stopped") await mutate(http, "application.stop", { applicationId: id }, "update");
}

/** updateColumns maps the plain fields among `fields` to `application.update` columns. */
export function updateColumns(spec: AppSpec, fields: ReadonlySet<AppField>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  if (fields.has("command")) columns.command = spec.command;
  if (fields.has("replicas")) columns.replicas = spec.replicas;
  if (fields.has("cpu")) columns.cpuLimit = coresToNanoCpus(spec.cpu);
  if (fields.has("memoryBytes")) columns.memoryLimit = spec.memoryBytes === null ? null : String(spec.memoryBytes);
  if (fields.has("healthcheck")) columns.healthCheckSwarm = healthcheckToSwarm(spec.healthcheck);
  return columns;
}

async function writeSource(http: HttpClient, id: string, source: AppSource, options: WriteOptions): Promise<void> {
  if (source.kind === "image") {
    const r = source.registry;
    // Every key must be present; null clears a previous registry login.
    const body = { applicationId: id, dockerImage: source.image, username: r?.username ?? null, password: r?.password ?? null, registryUrl: r?.url ?? null };
    await mutate(http, "application.saveDockerProvider", body, "update");
    return;
  }
  if (source.kind !== "git") throw new Error(`dokploy cannot write a ${source.kind} source`); // refused by unsupported()
  await mutate(http, "application.saveGitProvider", {
    applicationId: id,
    customGitUrl: source.url,
    customGitBranch: source.branch,
    customGitBuildPath: source.path,
    watchPaths: null,
    enableSubmodules: false,
    customGitSSHKeyId: null,
  }, "update");
  const dockerfile = source.build.type === "dockerfile";
  await mutate(http, "application.saveBuildType", {
    applicationId: id,
    buildType: source.build.type,
    dockerfile: dockerfile ? (source.build.dockerfile ?? "Dockerfile") : null,
    dockerContextPath: dockerfile ? "." : null,
    dockerBuildStage: null,
    herokuVersion: null,
    railpackVersion: source.build.type === "railpack" ? options.railpackVersion : null,
  }, "update");
}

/**
 * writeVolumes creates, updates or removes volume and bind mounts by mount path. The current mounts are read with
 * `application.one` unless `known` (an application created a moment ago has none: no read).
 */
async function writeVolumes(http: HttpClient, id: string, volumes: readonly VolumeSpec[], known?: readonly MountRow[]): Promise<void> {
  const mounts = known ?? (await query(http, "application.one", { applicationId: id }, ApplicationRow)).mounts ?? [];
  const current = new Map(mounts.filter((m) => m.type === "volume" || m.type === "bind").map((m) => [mountKey(m), m]));
  for (const volume of volumes) {
    const existing = current.get(mountKey(volume));
    current.delete(mountKey(volume));
    if (!existing) {
      await mutate(http, "mounts.create", { ...mountBody(volume), serviceType: "application", serviceId: id }, "create");
    } else if (JSON.stringify(volumesFromMounts([existing])[0]) !== JSON.stringify(volume)) {
      await mutate(http, "mounts.update", { mountId: existing.mountId, ...mountBody(volume), serviceType: "application" }, "update");
    }
  }
  for (const stale of current.values()) await mutate(http, "mounts.remove", { mountId: stale.mountId }, "delete");
}

/** deleteApplication removes the application (Dokploy also removes its domains and Docker service). */
export async function deleteApplication(http: HttpClient, id: string): Promise<void> {
  await mutate(http, "application.delete", { applicationId: id }, "delete");
}

/** createDomain adds an application domain; an https one gets a Let's Encrypt certificate. */
export async function createDomain(http: HttpClient, applicationId: string, domain: DomainSpec): Promise<{ id: string }> {
  return { id: await create(http, "domain.create", { ...domainBody(domain), applicationId }, "domainId", IdRow("domainId")) };
}

/** updateDomain rewrites a domain; `host` is always sent because domain.update requires it. */
export async function updateDomain(http: HttpClient, domainId: string, domain: DomainSpec): Promise<void> {
  await mutate(http, "domain.update", { domainId, ...domainBody(domain) }, "update");
}

/** deleteDomain removes a domain. */
export async function deleteDomain(http: HttpClient, domainId: string): Promise<void> {
  await mutate(http, "domain.delete", { domainId }, "delete");
}
