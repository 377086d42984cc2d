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

/** The routes of this file. */
export const resourceRoutes: Route[] = [
  { method: "GET", template: "/services", handler: ({ store }) => ({ status: 200, body: store.services.map(serviceView) }) },
  { method: "GET", template: "/databases", handler: ({ store }) => ({ status: 200, body: store.databases.map(databaseView) }) },
];
