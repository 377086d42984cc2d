/**
 * The `deployment.*` and `docker.*` reads of a deployment's outcome (apps/dokploy/server/api/routers/deployment.ts,
 * docker.ts), as recorded in v0.30.2-deployments.json: lists newest first (`allByType` adds `rollback`), the
 * in-memory queue, `readLogs` as `tail -n N` of the log file, and Swarm tasks per service (`[]` without Docker).
 */
import { z } from "zod";
import { ApiError, notFound } from "../errors.ts";
import { id, input, mutation, query } from "../procedure.ts";
import type { Router } from "../procedure.ts";
import type { DeploymentRow } from "../rows.ts";
import type { DokployStore } from "../store.ts";

/** Newest first by createdAt (ORDER BY createdAt DESC); rows of the same millisecond, later insert first. */
function newestFirst(rows: readonly DeploymentRow[]): DeploymentRow[] {
  return rows.map((row, i) => ({ row, i })).sort((a, b) => b.row.createdAt.localeCompare(a.row.createdAt) || b.i - a.i).map((x) => x.row);
}

function findDeployment(store: DokployStore, deploymentId: string): DeploymentRow {
  const d = store.deployment(deploymentId);
  if (!d) throw notFound("Deployment");
  return d;
}

const TYPES = ["application", "compose", "server", "schedule", "previewDeployment", "backup", "volumeBackup"] as const;

/** deployment.all / allByCompose / allByType / queueList / readLogs / killProcess. */
export const deploymentRouter: Router = {
  // A service's rows through the store's index (a scan of every deployment per poll bound the benchmarks).
  all: query(input({ applicationId: id() }), (i, store) => newestFirst(store.deploymentsOf(i.applicationId).filter((d) => d.applicationId === i.applicationId))),
  allByCompose: query(input({ composeId: id() }), (i, store) => newestFirst(store.deploymentsOf(i.composeId).filter((d) => d.composeId === i.composeId))),
  allByType: query(input({ id: id(), type: z.enum(TYPES) }), (i, store) => {
    const mine = (d: DeploymentRow) => (i.type === "application" ? d.applicationId === i.id : i.type === "compose" ? d.composeId === i.id : false);
    return newestFirst(store.deploymentsOf(i.id).filter(mine)).map((d) => ({ ...d, rollback: null }));
  }),
  queueList: query(input({}), (_i, store) => store.deploys.jobs.map(({ serviceId: _s, row: _r, ...job }) => job)),
  readLogs: query(input({ deploymentId: id(), tail: z.coerce.number().int().min(1).max(10000).default(100) }), (i, store) => {
    const text = store.deploys.logs.get(findDeployment(store, i.deploymentId).logPath) ?? "";
    const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    return `${lines.slice(-i.tail).join("\n")}\n`;
  }),
  // App and compose rows have no pid (recording #29).
  killProcess: mutation(input({ deploymentId: id() }), (i, store) => {
    findDeployment(store, i.deploymentId);
    throw new ApiError("BAD_REQUEST", "Deployment is not running");
  }),
};

/** docker.getServiceContainersByAppName: `docker service ps`; any docker failure gives `[]`, as on the real server. */
export const dockerRouter: Router = {
  getServiceContainersByAppName: query(input({ appName: z.string().min(1) }), (i, store) =>
    store.settings.dockerAvailable ? (store.deploys.tasks.get(i.appName) ?? []) : []),
  getContainersByAppNameMatch: query(input({ appName: z.string().min(1), appType: z.string().optional() }), () => []),
  getContainersByAppLabel: query(input({ appName: z.string().min(1), type: z.string().optional() }), () => []),
};

/** swarm.getNodeApps without Docker (recording #24). */
export const swarmRouter: Router = {
  getNodeApps: query(input({}), () => []),
};
