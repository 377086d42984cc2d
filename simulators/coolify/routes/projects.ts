/**
 * Projects, environments, servers and destinations (ProjectController, ServersController). Names follow
 * NAME_PATTERN (min 3), descriptions DESCRIPTION_PATTERN (no ':' '[' ']' …); PATCH on a project answers 201.
 */
import { HttpError, notFound, validationError } from "../router.ts";
import type { Route, RouteContext } from "../router.ts";
import type { CoolifyStore, EnvironmentRow, ProjectRow } from "../store.ts";
import { applicationView } from "../views.ts";
import { environmentDatabases, serviceView } from "./resources.ts";

const NAME = /^[\p{L}\p{N}\s\-_.\/@&()#,:+]{3,255}$/u;
const DESCRIPTION = /^[\p{L}\p{N}\s\-_.,!?()'"+=*@\/&]{0,255}$/u;

/** checkNameAndDescription gives the 422 of ValidationPatterns for the fields present. */
export function checkNameAndDescription(body: Record<string, unknown>, nameRequired: boolean): void {
  const errors: Record<string, string[]> = {};
  const name = body.name;
  if (name === undefined || name === null) {
    if (nameRequired) errors.name = ["The name field is required."];
  } else if (!NAME.test(String(name))) {
    errors.name = [String(name).length < 3 ? "The name field must be at least 3 characters." : "The name may only contain letters, numbers, spaces, and - _ . / @ & ( ) # , : +"];
  }
  if (typeof body.description === "string" && !DESCRIPTION.test(body.description)) {
    errors.description = ["The description contains invalid characters. Only letters, numbers, spaces, and common punctuation (- _ . , ! ? ( ) ' \" + = * @ / &) are allowed."];
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
}

/** project finds the project of `{uuid}` or throws the 404. */
export function project(store: CoolifyStore, uuid: string | undefined): ProjectRow {
  const p = store.project(uuid);
  if (!p) throw notFound("Project not found.");
  return p;
}

function environment(ctx: RouteContext): { p: ProjectRow; env: EnvironmentRow } {
  const p = project(ctx.store, ctx.params.uuid);
  const env = ctx.store.environmentOf(p, ctx.params.environment_name_or_uuid ?? "");
  if (!env) throw notFound("Environment not found.");
  return { p, env };
}

const envView = (e: EnvironmentRow) => ({ ...e });

/** The routes of this file. */
export const projectRoutes: Route[] = [
  { method: "GET", template: "/projects", handler: ({ store }) => ({ status: 200, body: store.projects.map((p) => ({ id: p.id, uuid: p.uuid, name: p.name, description: p.description })) }) },
  {
    method: "POST", template: "/projects", handler: ({ store, body }) => {
      checkNameAndDescription(body, true);
      return { status: 201, body: { uuid: store.addProject(String(body.name), (body.description as string | null) ?? null).uuid } };
    },
  },
  {
    method: "GET", template: "/projects/{uuid}", handler: ({ store, params }) => {
      const p = project(store, params.uuid);
      return { status: 200, body: { ...p, environments: store.environmentsOf(p).map(envView) } };
    },
  },
  {
    method: "PATCH", template: "/projects/{uuid}", handler: ({ store, params, body }) => {
      checkNameAndDescription(body, false);
      const p = project(store, params.uuid);
      if (typeof body.name === "string") p.name = body.name;
      if ("description" in body) p.description = (body.description as string | null) ?? null;
      return { status: 201, body: { uuid: p.uuid, name: p.name, description: p.description } };
    },
  },
  {
    method: "DELETE", template: "/projects/{uuid}", handler: ({ store, params }) => {
      const p = project(store, params.uuid);
      const envs = store.environmentsOf(p);
      if (envs.some((e) => store.hasResources(e))) throw new HttpError(400, { message: "Project has resources, so it cannot be deleted." });
      for (const e of envs) store.removeEnvironment(e);
      store.removeProject(p);
      return { status: 200, body: { message: "Project deleted." } };
    },
  },
  {
    method: "GET", template: "/projects/{uuid}/environments", handler: ({ store, params }) => {
      const p = project(store, params.uuid);
      return { status: 200, body: store.environmentsOf(p).map((e) => ({ id: e.id, name: e.name, uuid: e.uuid })) };
    },
  },
  {
    method: "POST", template: "/projects/{uuid}/environments", handler: ({ store, params, body }) => {
      checkNameAndDescription(body, true);
      const p = project(store, params.uuid);
      // The duplicate check compares the raw name, before customizeName lower-cases it (so "Staging" passes next to "staging").
      if (store.environmentsOf(p).some((e) => e.name === body.name)) throw new HttpError(409, { message: "Environment with this name already exists." });
      return { status: 201, body: { uuid: store.addEnvironment(p, String(body.name), null).uuid } };
    },
  },
  {
    method: "GET", template: "/projects/{uuid}/{environment_name_or_uuid}", handler: (ctx) => {
      const { env } = environment(ctx);
      const apps = ctx.store.applicationsIn(env).map((a) => applicationView(a, ctx.store.settings.canReadSensitive));
      const services = ctx.store.servicesIn(env).map(serviceView);
      return { status: 200, body: { ...envView(env), applications: apps, ...environmentDatabases(ctx.store.databasesIn(env)), services } };
    },
  },
  {
    method: "PATCH", template: "/projects/{uuid}/environments/{environment_name_or_uuid}", handler: (ctx) => {
      checkNameAndDescription(ctx.body, false);
      const { env } = environment(ctx);
      if (typeof ctx.body.name === "string") env.name = ctx.body.name.toLowerCase().replace(/\//g, "-");
      if ("description" in ctx.body) env.description = (ctx.body.description as string | null) ?? null;
      return { status: 200, body: envView(env) };
    },
  },
  {
    method: "DELETE", template: "/projects/{uuid}/environments/{environment_name_or_uuid}", handler: (ctx) => {
      const { env } = environment(ctx);
      if (ctx.store.hasResources(env)) throw new HttpError(400, { message: "Environment has resources, so it cannot be deleted." });
      ctx.store.removeEnvironment(env);
      return { status: 200, body: { message: "Environment deleted." } };
    },
  },
  { method: "GET", template: "/servers", handler: ({ store }) => ({ status: 200, body: store.servers.map(({ id: _id, proxy: _p, ...s }) => ({ ...s, user: "root", port: 22, is_reachable: true, is_usable: true })) }) },
  {
    method: "GET", template: "/servers/{server_uuid}/destinations", handler: ({ store, params }) => {
      const server = store.servers.find((s) => s.uuid === params.server_uuid);
      if (!server) throw notFound("Server not found.");
      return { status: 200, body: store.destinations.filter((d) => d.server_id === server.id).map(({ id: _id, server_id: _s, ...d }) => d) };
    },
  },
];
