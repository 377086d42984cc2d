/**
 * Following a Coolify deployment (shared/docs/providers/coolify-storages-deployments.md §3): `POST /deploy` answers
 * the deployment's uuid, except when one for the same commit is already queued or in progress: then the message
 * says so and the uuid was never saved, so the application's newest deployment is followed instead. A deployment is
 * polled with `GET /deployments/{uuid}`; its `logs` (a JSON string, present only for a token with read:sensitive)
 * lose their hidden entries as the CLI shows them. `finished` is not "running": the application's `status` says.
 */
import { z } from "zod";
import type { DeploymentObservation, DeploymentPhase, DeploymentTicket, RuntimeObservation } from "../../deploy/types.ts";
import { read, write } from "./api.ts";
import { parseRow } from "../../http/response.ts";
import { ApplicationRow } from "./rows.ts";
import type { Transport } from "./transport.ts";

const nstr = z.string().nullish();
const DeployAnswer = z.looseObject({ deployments: z.array(z.looseObject({ message: nstr, resource_uuid: nstr, deployment_uuid: nstr })).default([]) });
const Deployment = z.looseObject({ deployment_uuid: z.string(), status: z.string(), created_at: nstr, updated_at: nstr, finished_at: nstr, logs: nstr });
const DeploymentPage = z.looseObject({ count: z.number().nullish(), deployments: z.array(Deployment).default([]) });
const LogEntries = z.array(z.looseObject({ output: nstr, hidden: z.boolean().nullish() }));

/** startDeployment queues a deployment, or follows the one already queued for the same commit. */
export async function startDeployment(http: Transport, appId: string): Promise<DeploymentTicket> {
  const answer = parseRow(DeployAnswer, await write(http, "POST", "/deploy", "once", undefined, { uuid: appId }), "coolify POST /deploy");
  const item = answer.deployments.find((d) => d.resource_uuid === appId) ?? answer.deployments[0];
  const already = /already queued/i.test(item?.message ?? "");
  if (item?.deployment_uuid && !already) return { appId, deploymentId: item.deployment_uuid, joined: false };
  // The uuid of an "already queued" answer was never saved: the real one is the application's newest deployment.
  const page = await read(http, `/deployments/applications/${appId}`, DeploymentPage, { skip: 0, take: 1 });
  return { appId, deploymentId: page.deployments[0]?.deployment_uuid ?? null, joined: true };
}

function phaseOf(status: string): DeploymentPhase {
  if (status === "finished") return "succeeded";
  if (status === "failed") return "failed";
  if (status.startsWith("cancelled")) return "cancelled";
  return status === "queued" ? "queued" : "running";
}

/** observeDeployment reads the deployment by uuid. */
export async function observeDeployment(http: Transport, ticket: DeploymentTicket): Promise<DeploymentObservation> {
  if (!ticket.deploymentId) return { phase: "queued", platformStatus: "unknown", deploymentId: null, startedAt: null, finishedAt: null };
  const d = await read(http, `/deployments/${ticket.deploymentId}`, Deployment);
  return { phase: phaseOf(d.status), platformStatus: d.status, deploymentId: d.deployment_uuid, startedAt: d.created_at ?? null, finishedAt: d.finished_at ?? null };
}

/** latestDeployment is a ticket for the application's newest deployment (one page of one). */
export async function latestDeployment(http: Transport, appId: string): Promise<DeploymentTicket | null> {
  const page = await read(http, `/deployments/applications/${appId}`, DeploymentPage, { skip: 0, take: 1 });
  const newest = page.deployments[0];
  return newest ? { appId, deploymentId: newest.deployment_uuid, joined: true } : null;
}

/** readDeploymentLog returns the last `lines` visible log lines; a token without read:sensitive sees none. */
export async function readDeploymentLog(http: Transport, ticket: DeploymentTicket, lines: number): Promise<string[]> {
  if (!ticket.deploymentId) return [];
  const d = await read(http, `/deployments/${ticket.deploymentId}`, Deployment);
  if (typeof d.logs !== "string") return ["(the deployment log needs an API token with read:sensitive)"];
  let entries: z.infer<typeof LogEntries>;
  try {
    entries = LogEntries.parse(JSON.parse(d.logs));
  } catch {
    return d.logs.split("\n").slice(-lines);
  }
  const out = entries.filter((e) => e.hidden !== true).flatMap((e) => (e.output ?? "").replace(/\n+$/, "").split("\n"));
  return out.slice(-lines);
}

/** runtimeFromStatus maps Coolify's `status` (`running:healthy`, `exited:unhealthy`, …) to the neutral runtime state. */
export function runtimeFromStatus(status: string | null | undefined, healthCheck: boolean): RuntimeObservation {
  const s = status ?? "";
  const detail = s || "unknown";
  if (s === "running:healthy") return { state: "running", detail };
  if (s === "running:unhealthy") return { state: "failed", detail };
  // Without a health check Coolify cannot know better than `unknown`; with one, it has not answered yet.
  if (s.startsWith("running")) return { state: healthCheck ? "starting" : "running", detail };
  if (s.startsWith("exited")) return { state: "stopped", detail };
  if (s.startsWith("restarting") || s.startsWith("degraded")) return { state: "failed", detail };
  return { state: s.startsWith("starting") ? "starting" : "unknown", detail };
}

/** readRuntime reads the application's status. */
export async function readRuntime(http: Transport, appId: string): Promise<RuntimeObservation> {
  const row = await read(http, `/applications/${appId}`, ApplicationRow);
  return runtimeFromStatus(row.status, row.health_check_enabled === true);
}
