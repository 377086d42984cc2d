/**
 * Applications (ApplicationsController, DeployController): list with `?tag=`, the three create endpoints stackctl
 * uses (public Git, inline Dockerfile, Docker image), read, PATCH, asynchronous DELETE, start/stop and /deploy.
 */
import { HttpError, notFound, validationError } from "../router.ts";
import type { Route, RouteContext, RouteResult } from "../router.ts";
import { APPLICATION_DEFAULTS, newUuid } from "../store.ts";
import type { ApplicationRow, CoolifyStore } from "../store.ts";
import { applicationView } from "../views.ts";
import { checkConflicts, normalizeDomains } from "./domains.ts";
import { project } from "./projects.ts";

// Fields the API may set on create or update that are plain columns (the schemas already limit which are allowed).
const NOT_COLUMNS = new Set(["project_uuid", "server_uuid", "environment_name", "environment_uuid", "destination_uuid", "domains", "tags", "instant_deploy", "force_domain_override", "autogenerate_domain", "github_app_uuid", "noindex_domains"]);


/** application finds `{uuid}` or throws "Application not found." */
export function application(store: CoolifyStore, uuid: string | undefined): ApplicationRow {
  const app = store.application(uuid);
  if (!app) throw notFound("Application not found.");
  return app;
}

function columns(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !NOT_COLUMNS.has(k)));
}

function checkDescription(body: Record<string, unknown>): void {
  // Not validated by Coolify: the varchar(255) column makes the INSERT/UPDATE fail with a 500.
  if (typeof body.description === "string" && body.description.length > 255) {
    throw new HttpError(500, { message: "SQLSTATE[22001]: String data, right truncated: value too long for type character varying(255)" });
  }
}

function create(kind: "public" | "dockerfile" | "dockerimage"): (ctx: RouteContext) => RouteResult {
  return ({ store, body }) => {
    if (body.environment_name == null && body.environment_uuid == null) {
      throw new HttpError(422, { message: "You need to provide at least one of environment_name or environment_uuid." });
    }
    let dockerfile: string | null = null;
    if (kind === "dockerfile") {
      const decoded = Buffer.from(String(body.dockerfile ?? ""), "base64").toString("utf8");
      if (Buffer.from(decoded, "utf8").toString("base64") !== String(body.dockerfile)) throw validationError({ dockerfile: ["The dockerfile should be base64 encoded."] });
      dockerfile = decoded;
    }
    const p = project(store, body.project_uuid as string);
    const env = store.environmentOf(p, String(body.environment_uuid ?? body.environment_name));
    if (!env) throw notFound("Environment not found.");
    const server = store.servers.find((s) => s.uuid === body.server_uuid);
    if (!server) throw notFound("Server not found.");
    const destinations = store.destinations.filter((d) => d.server_id === server.id);
    let destination = destinations[0];
    if (body.destination_uuid != null) destination = destinations.find((d) => d.uuid === body.destination_uuid);
    else if (destinations.length > 1) throw new HttpError(400, { message: "Server has multiple destinations and you do not set destination_uuid." });
    if (!destination) throw new HttpError(400, { message: destinations.length === 0 ? "Server has no destinations." : "Destination not found." });
    const tags = Array.isArray(body.tags) ? body.tags.map(String) : [];
    if (tags.some((t) => t.length < 2)) throw validationError({ tags: ["Each tag must be at least 2 characters."] });
    checkDescription(body);
    const uuid = newUuid();
    let fqdn: string | null = null;
    if (typeof body.domains === "string") fqdn = normalizeDomains(body.domains).join(",") || null;
    else if (body.autogenerate_domain !== false) fqdn = `http://${uuid}.${server.ip}.sslip.io`;
    if (fqdn) checkConflicts(store, fqdn.split(","), null, body.force_domain_override === true);
    const app: ApplicationRow = {
      ...APPLICATION_DEFAULTS,
      ...(kind === "dockerimage" ? { build_pack: "dockerimage", docker_registry_image_tag: "latest" } : {}),
      ...(kind === "dockerfile" ? { build_pack: "dockerfile" } : {}),
      ...columns(body),
      ...(kind === "dockerfile" ? { dockerfile } : {}),
      id: store.nextId(), uuid, name: typeof body.name === "string" ? body.name : `app-${uuid.slice(0, 6)}`,
      description: (body.description as string | null) ?? null, environment_id: env.id, destination_id: destination.id,
      fqdn, status: "exited:unhealthy", tags: tags.map((t) => t.toLowerCase()),
    };
    store.pushApplication(app);
    return { status: 201, body: { uuid, domains: fqdn } };
  };
}

function update({ store, params, body, raw }: RouteContext): RouteResult {
  const app = application(store, params.uuid);
  checkDescription(body);
  const server = store.servers.find((s) => store.destinations.some((d) => d.id === app.destination_id && d.server_id === s.id));
  // Domains are validated and stored only when the server runs a proxy; an empty value is ignored (coollabsio/coolify#11116).
  if ("domains" in raw && typeof body.domains === "string" && server?.proxy) {
    const domains = normalizeDomains(body.domains);
    checkConflicts(store, domains, app, body.force_domain_override === true);
    store.setFqdn(app, domains.join(",") || app.fqdn);
  }
  if (typeof body.dockerfile === "string") body.dockerfile = Buffer.from(body.dockerfile, "base64").toString("utf8");
  Object.assign(app, columns(body));
  return { status: 200, body: { uuid: app.uuid } };
}

function deployment(store: CoolifyStore, app: ApplicationRow): { message: string; resource_uuid: string; deployment_uuid: string } {
  const server = store.serverOf(app);
  return store.deploys.queue(app, server.name, server.id);
}

/** The routes of this file. */
export const applicationRoutes: Route[] = [
  {
    method: "GET", template: "/applications", handler: ({ store, query }) => {
      const tag = query.get("tag");
      const apps = store.applications.filter((a) => tag === null || a.tags.includes(tag.toLowerCase())).sort((a, b) => a.name.localeCompare(b.name));
      return { status: 200, body: apps.map((a) => applicationView(a, store.settings.canReadSensitive)) };
    },
  },
  { method: "POST", template: "/applications/public", handler: create("public") },
  { method: "POST", template: "/applications/dockerfile", handler: create("dockerfile") },
  { method: "POST", template: "/applications/dockerimage", handler: create("dockerimage") },
  { method: "GET", template: "/applications/{uuid}", handler: ({ store, params }) => ({ status: 200, body: applicationView(application(store, params.uuid), store.settings.canReadSensitive) }) },
  { method: "PATCH", template: "/applications/{uuid}", handler: update },
  {
    method: "DELETE", template: "/applications/{uuid}", handler: ({ store, params }) => {
      store.queueDelete(application(store, params.uuid));
      return { status: 200, body: { message: "Application deletion request queued." } };
    },
  },
  {
    // Already queued: `{message}` without a uuid (AC:4070-4077).
    method: "POST", template: "/applications/{uuid}/start", handler: ({ store, params }) => {
      const queued = deployment(store, application(store, params.uuid));
      const already = queued.message.startsWith("Deployment already queued");
      return { status: 200, body: already ? { message: queued.message } : { message: "Deployment request queued.", deployment_uuid: queued.deployment_uuid } };
    },
  },
  {
    method: "POST", template: "/applications/{uuid}/stop", handler: ({ store, params }) => {
      application(store, params.uuid).status = "exited:unhealthy";
      return { status: 200, body: { message: "Application stopping request queued." } };
    },
  },
  {
    method: "POST", template: "/deploy", handler: ({ store, query }) => {
      const uuids = new Set((query.get("uuid") ?? "").split(",").filter((u) => u !== ""));
      // In table order, each once, as the query on the applications table returns them.
      const apps = [...uuids].map((u) => store.application(u)).filter((a) => a !== undefined).sort((a, b) => a.id - b.id);
      if (apps.length === 0) throw notFound("No resources found.");
      return { status: 200, body: { deployments: apps.map((a) => deployment(store, a)) } };
    },
  },
];
