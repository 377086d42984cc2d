/**
 * The neutral vocabulary of deployments, shared by the providers (which read them from Dokploy or Coolify), the
 * waiter (deploy/wait.ts) and whoever reports outcomes (the CLI, the controller's status): a ticket for a started
 * deployment, what one poll of it saw, and what the platform says about the application's runtime.
 */

/** A deployment that `deployApplication` started, or joined because one was already queued or running. */
export interface DeploymentTicket {
  appId: string;
  /** The platform's id of the deployment, once known (Coolify at once; Dokploy when its row appears). */
  deploymentId: string | null;
  /**
   * Dokploy: the application's newest deployment row before the call (null: it had none). Rows appear only when a
   * queued job starts and jobs of one application run in order, so the first row newer than this is the deployment.
   */
  after?: { id: string; createdAt: string } | null;
  /** True when no new deployment was started: one already queued or running for the application is followed instead. */
  joined: boolean;
}

/** Where a deployment is: waiting in the platform's queue, running, or ended. */
export type DeploymentPhase = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** One poll of a deployment. `platformStatus` is the platform's own word (`error`, `in_progress`, …). */
export interface DeploymentObservation {
  phase: DeploymentPhase;
  platformStatus: string;
  deploymentId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What the platform tells about an application's containers. `unknown`: it cannot tell (no tasks reported). */
export type RuntimeState = "running" | "starting" | "stopped" | "failed" | "unknown";

/** One read of an application's runtime; `detail` is the platform's words (`running:healthy`, `Failed 3 seconds ago`). */
export interface RuntimeObservation {
  state: RuntimeState;
  detail: string;
}

/** The last deployment of an application, as the controller's status API reports it. Never holds a secret. */
export interface DeploymentRecord {
  app: string;
  /** The platform's deployment id (null when the platform never showed one). */
  id: string | null;
  /** The platform's status word, or `timeout` when stackctl stopped waiting. */
  status: string;
  outcome: "succeeded" | "failed" | "timeout" | "unknown";
  startedAt: string | null;
  finishedAt: string | null;
  /** The last lines of the deployment log, scrubbed of secrets. */
  logTail: string[];
}
