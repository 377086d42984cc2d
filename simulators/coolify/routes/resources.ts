/**
 * Services and databases (ServicesController, DatabasesController): the resources besides applications that an
 * environment holds and that keep it, and its project, from being deleted. Only the lists are modelled; tests add
 * rows with the store's insertService / insertDatabase, as someone would in the UI.
 */
import type { Route } from "../router.ts";
import type { DatabaseRow, ServiceRow } from "../store.ts";

/** A service as `GET /services` returns it (the model without `id`). */
export function serviceView(row: ServiceRow): Record<string, unknown> {
  const { id: _id, ...rest } = row;
  return rest;
}

/** A database as `GET /databases` returns it (the model without `id`, `database_type` naming its engine). */
export function databaseView(row: DatabaseRow): Record<string, unknown> {
  const { id: _id, ...rest } = row;
  return rest;
}

// The relations ProjectController::environment_details loads besides applications and services (Coolify v4.3):
// keydb, dragonfly and clickhouse databases are not among them, so only `GET /databases` shows those.
const ENVIRONMENT_DATABASES = { postgresqls: "standalone-postgresql", redis: "standalone-redis", mongodbs: "standalone-mongodb", mysqls: "standalone-mysql", mariadbs: "standalone-mariadb" } as const;

/** The database lists of `GET /projects/{uuid}/{environment}`, from the environment's databases. */
export function environmentDatabases(rows: readonly DatabaseRow[]): Record<keyof typeof ENVIRONMENT_DATABASES, Record<string, unknown>[]> {
  const lists = Object.entries(ENVIRONMENT_DATABASES).map(([key, type]) => [key, rows.filter((d) => d.database_type === type).map(databaseView)]);
  return Object.fromEntries(lists) as Record<keyof typeof ENVIRONMENT_DATABASES, Record<string, unknown>[]>;
}

/** The routes of this file. */
export const resourceRoutes: Route[] = [
  { method: "GET", template: "/services", handler: ({ store }) => ({ status: 200, body: store.services.map(serviceView) }) },
  { method: "GET", template: "/databases", handler: ({ store }) => ({ status: 200, body: store.databases.map(databaseView) }) },
];
