/**
 * Deployment reads (DeployController): one deployment by uuid, an application's deployments newest first as
 * `{count, deployments}`, and the team's queued or in-progress ones. `logs` is hidden without read:sensitive.
 */
import { notFound } from "../router.ts";
import type { Route } from "../router.ts";
import type { DeploymentQueueRow } from "../deploys.ts";
import type { CoolifyStore } from "../store.ts";
import { application } from "./applications.ts";

function view(row: DeploymentQueueRow, store: CoolifyStore): Record<string, unknown> {
  const { logs, ...rest } = row;
  return store.settings.canReadSensitive ? { ...rest, logs } : rest;
}

function newestFirst(rows: readonly DeploymentQueueRow[]): DeploymentQueueRow[] {
  return [...rows].sort((a, b) => b.id - a.id);
}

/** The routes of this file. */
export const deploymentRoutes: Route[] = [
  {
    method: "GET", template: "/deployments", handler: ({ store }) => ({
      status: 200, body: newestFirst(store.deploys.active()).map((r) => view(r, store)),
    }),
  },
  {
    method: "GET", template: "/deployments/{uuid}", handler: ({ store, params }) => {
      const row = store.deploys.byUuid(params.uuid);
      if (!row) throw notFound("Deployment not found.");
      return { status: 200, body: view(row, store) };
    },
  },
  {
    method: "GET", template: "/deployments/applications/{uuid}", handler: ({ store, params, query }) => {
      const app = application(store, params.uuid);
      const mine = newestFirst(store.deploys.of(app));
      const skip = Math.max(0, Number(query.get("skip") ?? 0) || 0);
      const take = Math.max(1, Number(query.get("take") ?? 10) || 10);
      return { status: 200, body: { count: mine.length, deployments: mine.slice(skip, skip + take).map((r) => view(r, store)) } };
    },
  },
];
