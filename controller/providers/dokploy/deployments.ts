/**
 * Following a Dokploy deployment (shared/docs/providers/dokploy-deployments.md): `application.deploy` answers
 * nothing and only queues a job; the job's row appears when it starts, so the deployment is the first row newer
 * than the newest one before the call (jobs of one application run in order). One application's rows are read with
 * `deployment.allByType` (newest first), never the whole project. `errorMessage` stays null on a failed build: the
 * reason is only in the log (`deployment.readLogs`). `done` means Swarm accepted the service, so runtime is read
 * from its tasks (`docker.getServiceContainersByAppName`), where an empty answer means "cannot tell", not healthy.
 */
import { z } from "zod";
import type { DeploymentObservation, DeploymentPhase, DeploymentTicket, RuntimeObservation } from "../../deploy/types.ts";
import type { HttpClient } from "../../http/client.ts";
import { mutate, query } from "./api.ts";
import { ApplicationRow } from "./rows.ts";
import { sharedRead } from "./shared-reads.ts";

const nstr = z.string().nullish();
const DeploymentRow = z.looseObject({ deploymentId: z.string(), status: nstr, createdAt: z.string(), startedAt: nstr, finishedAt: nstr });
type DeploymentRow = z.infer<typeof DeploymentRow>;
const DeploymentList = z.array(DeploymentRow);
const QueueJob = z.looseObject({ state: nstr, data: z.looseObject({ applicationId: nstr }).nullish() });
const QueueList = z.array(QueueJob);
const TaskList = z.array(z.looseObject({ state: nstr, currentState: nstr, error: nstr }));

/** The application's deployment rows, newest first. */
function rowsOf(http: HttpClient, appId: string): Promise<DeploymentRow[]> {
  return query(http, "deployment.allByType", { id: appId, type: "application" }, DeploymentList);
}

/**
 * startDeployment queues a deployment unless one is already waiting or running for the application, in which case
 * that one is followed instead (a second would only repeat it). Costs 2 reads besides the deploy call — none for an
 * application this provider created and has not deployed yet (`fresh`): it has no rows and no job, so its deployment
 * is simply its first row. The queue (`deployment.queueList` answers the whole server's) is read once for the deploys
 * that ask at the same time: each looks for a job of its own application, which the others' deploys do not add.
 */
export async function startDeployment(http: HttpClient, appId: string, fresh = false): Promise<DeploymentTicket> {
  if (fresh) {
    await mutate(http, "application.deploy", { applicationId: appId }, "once");
    return { appId, deploymentId: null, after: null, joined: false };
  }
  const queueRead = () => query(http, "deployment.queueList", undefined, QueueList);
  const [rows, queue] = await Promise.all([rowsOf(http, appId), sharedRead(http, "deployment.queueList", queueRead, { acrossWrites: true })]);
  const newest = rows[0];
  const after = newest ? { id: newest.deploymentId, createdAt: newest.createdAt } : null;
  const jobs = queue.filter((j) => j.data?.applicationId === appId);
  if (jobs.some((j) => j.state === "waiting")) return { appId, deploymentId: null, after, joined: true };
  if (newest?.status === "running") return { appId, deploymentId: newest.deploymentId, after, joined: true };
  await mutate(http, "application.deploy", { applicationId: appId }, "once");
  return { appId, deploymentId: null, after, joined: false };
}

/** observeDeployment reads the application's rows and finds the ticket's. */
export async function observeDeployment(http: HttpClient, ticket: DeploymentTicket): Promise<DeploymentObservation> {
  const rows = await rowsOf(http, ticket.appId);
  const row = ticket.deploymentId ? rows.find((r) => r.deploymentId === ticket.deploymentId) : ticket.after === undefined ? rows[0] : firstNewer(rows, ticket.after);
  if (!row) return { phase: "queued", platformStatus: "queued", deploymentId: ticket.deploymentId, startedAt: null, finishedAt: null };
  ticket.deploymentId = row.deploymentId;
  const status = row.status ?? "running";
  return { phase: phaseOf(status), platformStatus: status, deploymentId: row.deploymentId, startedAt: row.startedAt ?? row.createdAt, finishedAt: row.finishedAt ?? null };
}

function firstNewer(rows: readonly DeploymentRow[], after: { id: string; createdAt: string } | null): DeploymentRow | undefined {
  // Newest first; rows may tie on createdAt, so the one known row is excluded by id as well.
  const newer = rows.filter((r) => r.deploymentId !== after?.id && (after === null || r.createdAt >= after.createdAt));
  return newer[newer.length - 1];
}

function phaseOf(status: string): DeploymentPhase {
  if (status === "done") return "succeeded";
  if (status === "error") return "failed";
  if (status === "cancelled") return "cancelled";
  return "running";
}

/** latestDeployment is a ticket for the application's newest deployment row (one `deployment.allByType`). */
export async function latestDeployment(http: HttpClient, appId: string): Promise<DeploymentTicket | null> {
  const newest = (await rowsOf(http, appId))[0];
  return newest ? { appId, deploymentId: newest.deploymentId, joined: true } : null;
}

/** readDeploymentLog returns the log's last `lines` lines (`tail -n` of the log file). */
export async function readDeploymentLog(http: HttpClient, ticket: DeploymentTicket, lines: number): Promise<string[]> {
  if (!ticket.deploymentId && ticket.after === undefined) await observeDeployment(http, ticket);
  if (!ticket.deploymentId) return [];
  const text = await query(http, "deployment.readLogs", { deploymentId: ticket.deploymentId, tail: String(lines) }, z.string());
  return text.replace(/\n+$/, "").split("\n");
}

/** A Docker service name per application id, learned once (it never changes). */
export type AppNames = Map<string, string>;

/**
 * readRuntime classifies the service's tasks: one running task is running; otherwise a failed or rejected task
 * (or a task error) is failed, tasks all shut down are stopped, and anything else is starting. No tasks: unknown.
 */
export async function readRuntime(http: HttpClient, appId: string, names: AppNames): Promise<RuntimeObservation> {
  let appName = names.get(appId);
  if (!appName) {
    appName = (await query(http, "application.one", { applicationId: appId }, ApplicationRow)).appName ?? "";
    names.set(appId, appName);
  }
  const tasks = await query(http, "docker.getServiceContainersByAppName", { appName }, TaskList);
  if (tasks.length === 0) return { state: "unknown", detail: "the server reported no tasks (no Docker access?)" };
  const running = tasks.find((t) => t.state === "Running" && t.currentState?.startsWith("Running"));
  if (running) return { state: "running", detail: running.currentState ?? "Running" };
  const failed = tasks.find((t) => /^(Failed|Rejected)/.test(t.currentState ?? "") || (t.error ?? "") !== "");
  if (failed) return { state: "failed", detail: [failed.currentState, failed.error].filter(Boolean).join(": ") };
  if (tasks.every((t) => t.state === "Shutdown")) return { state: "stopped", detail: tasks[0]!.currentState ?? "Shutdown" };
  return { state: "starting", detail: tasks[0]!.currentState ?? "" };
}
