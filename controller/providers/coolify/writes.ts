/**
 * Single writes against Coolify. An application is created with its source (the endpoint depends on it), then
 * every other field is written with one PATCH and the env sync; updates PATCH only the changed columns. Domains
 * live in one comma-separated `domains` field, so a domain write reads `fqdn` and rewrites the list.
 */
import { ProviderError } from "../../http/errors.ts";
import { isProviderError } from "../../http/errors.ts";
import type { AppField, AppSource, AppSpec, DomainSpec } from "../../model.ts";
import type { EnvironmentRef } from "../../provider.ts";
import { LABEL, read, write } from "./api.ts";
import { syncEnv } from "./env.ts";
import { writeVolumes } from "./storages.ts";
import { domainId, domainsFromFqdn, domainUrl, healthcheckFields, limitFields, splitImage } from "./mapping.ts";
import { encodeDescription } from "./marker.ts";
import { parseRow } from "../../http/response.ts";
import { ApplicationRow, Created } from "./rows.ts";
import type { Transport } from "./transport.ts";

/** The tag stackctl puts on every application it creates (Coolify lower-cases tags; at least 2 characters). */
export const STACKCTL_TAG = "stackctl";

/** What writes need besides the spec: where to deploy, the fingerprint secret, and how long a delete may take. */
export interface WriteContext {
  http: Transport;
  target(): Promise<{ server: string; destination?: string }>;
  fpSecret(appUuid: string): string;
  deleteTimeoutMs: number;
  deletePollMs: number;
}

const CREATE_FIELDS: readonly AppField[] = ["command", "env", "buildArgs", "cpu", "memoryBytes", "healthcheck"];

/** createApplication creates the application (sent once, not deployed, no generated domain), then configures it. */
export async function createApplication(ctx: WriteContext, env: EnvironmentRef, name: string, description: string, spec: AppSpec): Promise<{ id: string }> {
  const { server, destination } = await ctx.target();
  const body = {
    project_uuid: env.projectId,
    server_uuid: server,
    environment_uuid: env.environmentId,
    ...(destination ? { destination_uuid: destination } : {}),
    name,
    description: encodeDescription(description),
    ports_exposes: spec.ports.join(","),
    // Without this Coolify assigns an sslip.io domain that stackctl would then see as drift (and cannot clear: #11116).
    autogenerate_domain: false,
    instant_deploy: false,
    tags: [STACKCTL_TAG],
    ...sourceCreateFields(spec.source),
  };
  const path = spec.source.kind === "image" ? "/applications/dockerimage" : spec.source.kind === "git" ? "/applications/public" : "/applications/dockerfile";
  const created = parseRow(Created, await write(ctx.http, "POST", path, "create", body), `${LABEL} POST ${path}`);
  await updateApplication(ctx, created.uuid, spec, CREATE_FIELDS);
  // A new application has no storages: nothing to read first.
  if (spec.volumes.length > 0) await writeVolumes(ctx.http, created.uuid, spec.volumes, []);
  return { id: created.uuid };
}

function sourceCreateFields(source: AppSource): Record<string, unknown> {
  if (source.kind === "image") {
    const { name, tag } = splitImage(source.image);
    return { docker_registry_image_name: name, ...(tag ? { docker_registry_image_tag: tag } : {}) };
  }
  if (source.kind === "dockerfile") return { dockerfile: Buffer.from(source.dockerfile, "utf8").toString("base64"), build_pack: "dockerfile" };
  return {
    git_repository: source.url,
    git_branch: source.branch,
    build_pack: source.build.type,
    base_directory: source.path,
    ...(source.build.type === "dockerfile" ? { dockerfile_location: source.build.dockerfile ?? "Dockerfile" } : {}),
  };
}

/** updateApplication writes the `fields` of `spec` (and `description` when given) to application `id`. */
export async function updateApplication(ctx: WriteContext, id: string, spec: AppSpec, fields: readonly AppField[], description?: string): Promise<void> {
  const has = new Set<string>(fields);
  if (has.has("source") && spec.source.kind === "image") await requireImageApplication(ctx, id);
  const columns = updateColumns(spec, has);
  if (description !== undefined) columns.description = encodeDescription(description);
  // Coolify answers 400 "Empty JSON." to an empty body: only PATCH with something to write.
  if (Object.keys(columns).length > 0) await write(ctx.http, "PATCH", `/applications/${id}`, "update", columns);
  if (has.has("env") || has.has("buildArgs")) await syncEnv(ctx.http, id, spec, ctx.fpSecret(id));
  if (has.has("volumes")) await writeVolumes(ctx.http, id, spec.volumes);
  // Running needs no call: plan() deploys after a change to running.
  if (has.has("state") && spec.state === "stopped") await write(ctx.http, "POST", `/applications/${id}/stop`, "update");
}

/** updateColumns maps the plain fields among `fields` to PATCH /applications columns. */
export function updateColumns(spec: AppSpec, fields: ReadonlySet<string>): Record<string, unknown> {
  const columns: Record<string, unknown> = { ...limitFields(spec, fields) };
  if (fields.has("source")) Object.assign(columns, sourceUpdateFields(spec.source));
  // "" reaches Coolify's validation as null (ConvertEmptyStringsToNull), which clears the command.
  if (fields.has("command")) columns.start_command = spec.command ?? "";
  if (fields.has("ports")) columns.ports_exposes = spec.ports.join(",");
  if (fields.has("healthcheck")) Object.assign(columns, healthcheckFields(spec.healthcheck));
  return columns;
}

function sourceUpdateFields(source: AppSource): Record<string, unknown> {
  const fields = sourceCreateFields(source);
  if (source.kind === "image") fields.docker_registry_image_tag ??= "latest";
  return fields;
}

/**
 * The PATCH's build_pack list has no `dockerimage` (only the create endpoint makes image applications), so a Git or
 * Dockerfile application cannot become an image one: refuse clearly, instead of writing image columns that Coolify
 * ignores and that every later plan would report as drift again.
 */
async function requireImageApplication(ctx: WriteContext, id: string): Promise<void> {
  const row = await read(ctx.http, `/applications/${id}`, ApplicationRow);
  if (row.build_pack === "dockerimage") return;
  throw new ProviderError({ code: "http.bad-request", operation: `${LABEL} PATCH applications/${id}`, retryable: false },
    `Coolify's API cannot turn a ${row.build_pack ?? "non-image"} application into an image one; remove the application from the manifest and apply, then add it back`);
}

/** deleteApplication queues the deletion, then waits until Coolify's job has really removed the application. */
export async function deleteApplication(ctx: WriteContext, id: string): Promise<void> {
  await write(ctx.http, "DELETE", `/applications/${id}`, "delete");
  const deadline = Date.now() + ctx.deleteTimeoutMs;
  for (;;) {
    try {
      await read(ctx.http, `/applications/${id}`, ApplicationRow);
    } catch (err) {
      if (isProviderError(err, "http.not-found")) return;
      throw err;
    }
    if (Date.now() >= deadline) {
      throw new ProviderError({ code: "http.timeout", operation: `${LABEL} DELETE applications/${id}`, retryable: true }, `application still present ${ctx.deleteTimeoutMs} ms after its deletion was queued`);
    }
    await new Promise((r) => setTimeout(r, ctx.deletePollMs));
  }
}

/** rewriteDomains reads the application's domains, lets `change` edit the URL list, and PATCHes it back. */
async function rewriteDomains(ctx: WriteContext, appId: string, change: (urls: Map<string, string>) => void): Promise<void> {
  const row = await read(ctx.http, `/applications/${appId}`, ApplicationRow);
  const urls = new Map(domainsFromFqdn(row.fqdn, row.ports_exposes).map((d) => [d.id, domainUrl(d)]));
  change(urls);
  if (urls.size === 0) {
    throw new ProviderError({ code: "http.bad-request", operation: `${LABEL} PATCH applications/${appId}`, retryable: false },
      "Coolify ignores an empty domain list (coollabsio/coolify#11116), so an application's last domain cannot be removed through the API; remove it in the UI");
  }
  await write(ctx.http, "PATCH", `/applications/${appId}`, "update", { domains: [...urls.values()].join(",") });
}

/** createDomain adds a domain; its id is host + path. A domain used elsewhere is a 409 (http.conflict). */
export async function createDomain(ctx: WriteContext, appId: string, domain: DomainSpec): Promise<{ id: string }> {
  await rewriteDomains(ctx, appId, (urls) => urls.set(domainId(domain), domainUrl(domain)));
  return { id: domainId(domain) };
}

/** updateDomain replaces the domain `domainId` with `domain`. */
export async function updateDomain(ctx: WriteContext, appId: string, id: string, domain: DomainSpec): Promise<void> {
  await rewriteDomains(ctx, appId, (urls) => {
    urls.delete(id);
    urls.set(domainId(domain), domainUrl(domain));
  });
}

/** deleteDomain removes the domain `domainId` (not the last one: see rewriteDomains). */
export async function deleteDomain(ctx: WriteContext, appId: string, id: string): Promise<void> {
  await rewriteDomains(ctx, appId, (urls) => urls.delete(id));
}
