/**
 * The simulated deploy worker and Docker Swarm of the Dokploy simulator, as Dokploy v0.30.2 behaves (see
 * shared/docs/providers/dokploy-deployments.md): deploy calls only queue a job; jobs run FIFO, at most
 * `buildsConcurrency` at once on the server (default 1, so different applications wait for each other too); the
 * deployment row and its log file appear only when a job starts (`applicationStatus` keeps its previous value while
 * the job waits); a job ends `done` or `error` with `errorMessage` null, the reason only in the log; `done` means
 * Swarm accepted the service, not that its tasks run. Outcome, duration and log text are knobs.
 */
import type { ApplicationRow, ComposeRow, DeploymentRow } from "./rows.ts";
import { nanoid } from "./random.ts";

/** How a simulated deployment ends: succeed, fail in the build (pull), fail when the service is created, or crash once started. */
export type SimDeployOutcome = "succeed" | "fail-build" | "fail-start" | "crash-after-start";

/** The deploy knobs (store.settings.deploys); tests and `dev-server` may change them at any time. */
export interface DeployKnobs {
  /** The outcome of every deployment, unless `outcomes` names the application. Default succeed. */
  outcome: SimDeployOutcome;
  /** Outcome by application (or compose) display name. */
  outcomes: Record<string, SimDeployOutcome>;
  /** Lines written to the log before the outcome's last lines (e.g. build output). */
  logLines: string[];
  /** Jobs that run at once on the server (Dokploy's buildsConcurrency, default 1). */
  buildsConcurrency: number;
}

/** A job of the in-memory queue, as `deployment.queueList` shows it (recordings #14, #34). */
export interface QueueJob {
  id: string;
  name: "deployments";
  data: Record<string, unknown>;
  timestamp: number;
  processedOn?: number;
  state: "waiting" | "active";
  servicePath: { href: string; label: string };
  /** Simulator bookkeeping, not in the answer. */
  serviceId: string;
  row?: DeploymentRow;
}

/** One Swarm task, as `docker.getServiceContainersByAppName` maps `docker service ps` lines (S/services/docker.ts:298-362). */
export interface SimTask {
  containerId: string;
  name: string;
  state: string;
  currentState: string;
  node: string;
  error: string;
}

/** What the worker needs from the store. */
export interface DeployHost {
  dockerAvailable(): boolean;
  deployDurationMs(): number;
  knobs(): DeployKnobs;
  now(): string;
  service(id: string): ApplicationRow | ComposeRow | undefined;
  imageOf(service: ApplicationRow | ComposeRow): string;
  pathOf(service: ApplicationRow | ComposeRow): string;
  insertDeployment(row: DeploymentRow): void;
  setStatus(service: ApplicationRow | ComposeRow, status: ApplicationRow["applicationStatus"]): void;
}

/** The default knobs. */
export function defaultDeployKnobs(): DeployKnobs {
  return { outcome: "succeed", outcomes: {}, logLines: [], buildsConcurrency: 1 };
}

/** The queue, the log files and the Swarm services of one simulated server. */
export class DeployWorker {
  jobs: QueueJob[] = [];
  /** Log file text by logPath; files are named to the second, so a later deployment in the same second overwrites (recording #20). */
  logs = new Map<string, string>();
  /** Swarm tasks by service (appName); absent = no such service. */
  tasks = new Map<string, SimTask[]>();
  #nextJob = 1;
  #timers = new Set<NodeJS.Timeout>();
  #host: DeployHost;

  constructor(host: DeployHost) {
    this.#host = host;
  }

  /** enqueue queues a deploy or redeploy job, as application.deploy / redeploy / compose.deploy do; it starts when a slot is free. */
  enqueue(service: ApplicationRow | ComposeRow, type: "deploy" | "redeploy", title: string, description: string): void {
    const isApp = "applicationId" in service && typeof service.applicationId === "string";
    const serviceId = isApp ? (service as ApplicationRow).applicationId : (service as ComposeRow).composeId;
    const data = isApp
      ? { applicationId: serviceId, titleLog: title, descriptionLog: description, type, applicationType: "application", server: false }
      : { composeId: serviceId, titleLog: title, descriptionLog: description, type, applicationType: "compose", server: false };
    const href = `${this.#host.pathOf(service)}/services/${isApp ? "application" : "compose"}/${serviceId}`;
    this.jobs.push({ id: `job-${this.#nextJob++}`, name: "deployments", data, timestamp: Date.now(), state: "waiting", servicePath: { href, label: isApp ? "Application" : "Compose" }, serviceId });
    this.pump();
  }

  /** cleanQueue drops a service's waiting jobs (application.cleanQueues); an active job cannot be removed. */
  cleanQueue(serviceId: string): void {
    this.jobs = this.jobs.filter((j) => j.serviceId !== serviceId || j.state === "active");
  }

  /** finishActive ends every active job now (tests that drive time by hand); the next waiting jobs then start. */
  finishActive(): void {
    for (const job of this.jobs.filter((j) => j.state === "active")) this.finish(job);
  }

  /** running is true while any job is queued or active. */
  busy(): boolean {
    return this.jobs.length > 0;
  }

  /** stopService scales a service to 0 (application.stop): its tasks shut down. */
  stopService(appName: string): void {
    const tasks = this.tasks.get(appName);
    if (tasks) this.tasks.set(appName, tasks.map((t) => ({ ...t, state: "Shutdown", currentState: "Shutdown 1 second ago" })));
  }

  /** startService scales a service back up (application.start): a deployed service runs again. */
  startService(appName: string): void {
    if (this.tasks.has(appName)) this.tasks.set(appName, [runningTask(appName)]);
  }

  /** crashService makes a running service's task fail, as a container that exits would (a crash made by hand in tests). */
  crashService(appName: string): void {
    this.tasks.set(appName, crashedTasks(appName));
  }

  /** Stops the pending timers (server close). */
  dispose(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  private pump(): void {
    const active = this.jobs.filter((j) => j.state === "active").length;
    let free = Math.max(1, this.#host.knobs().buildsConcurrency) - active;
    for (const job of this.jobs) {
      if (free <= 0) break;
      // Two jobs of one service never run at once (Q/in-memory-queue.ts:227-242).
      if (job.state !== "waiting" || this.jobs.some((j) => j.state === "active" && j.serviceId === job.serviceId)) continue;
      this.start(job);
      free -= 1;
    }
  }

  private start(job: QueueJob): void {
    const service = this.#host.service(job.serviceId);
    if (!service) {
      this.jobs = this.jobs.filter((j) => j !== job);
      return this.pump();
    }
    job.state = "active";
    job.processedOn = Date.now();
    // The worker sets `running` first, then creates the row and its log file (Q/deployments-queue.ts:18-22).
    this.#host.setStatus(service, "running");
    const startedAt = this.#host.now();
    const stamp = startedAt.slice(0, 19).replace("T", ":");
    const isApp = "applicationId" in job.data;
    const row: DeploymentRow = {
      deploymentId: nanoid(), title: String(job.data.titleLog), description: String(job.data.descriptionLog), status: "running",
      logPath: `/etc/dokploy/logs/${service.appName}/${service.appName}-${stamp}.log`, pid: null,
      applicationId: isApp ? job.serviceId : null, composeId: isApp ? null : job.serviceId, serverId: null, isPreviewDeployment: false,
      previewDeploymentId: null, createdAt: startedAt, startedAt, finishedAt: null, errorMessage: null, scheduleId: null, backupId: null,
      rollbackId: null, volumeBackupId: null, buildServerId: null,
    };
    job.row = row;
    this.#host.insertDeployment(row);
    this.logs.set(row.logPath, "Initializing deployment\n");
    const duration = this.#host.deployDurationMs();
    if (!Number.isFinite(duration)) return; // finished by hand (finishActive)
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.finish(job);
    }, duration);
    timer.unref();
    this.#timers.add(timer);
  }

  private finish(job: QueueJob): void {
    if (!this.jobs.includes(job)) return;
    this.jobs = this.jobs.filter((j) => j !== job);
    const service = this.#host.service(job.serviceId);
    const row = job.row;
    if (service && row) {
      const { status, log } = this.outcome(service, job.data.type === "redeploy");
      row.status = status;
      row.finishedAt = this.#host.now();
      this.logs.set(row.logPath, log);
      this.#host.setStatus(service, status);
    }
    this.pump();
  }

  /** What a finished job did: the row status, the log text, and the service's tasks. */
  private outcome(service: ApplicationRow | ComposeRow, redeploy: boolean): { status: "done" | "error"; log: string } {
    const image = this.#host.imageOf(service);
    if (!this.#host.dockerAvailable()) {
      // The recorded server without a Docker daemon (recordings #11, #17).
      const tail = "Error occurred ❌, check the logs for details.\n";
      if (redeploy) return { status: "error", log: `Initializing deployment\nconnect ENOENT /var/run/docker.sock\n${tail}` };
      return { status: "error", log: `Initializing deployment\nPulling ${image}\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n❌ Pulling image failed\n\n${tail}` };
    }
    const knobs = this.#host.knobs();
    const outcome = knobs.outcomes[service.name] ?? knobs.outcome;
    const extra = knobs.logLines.map((l) => `${l}\n`).join("");
    const head = `Initializing deployment\n${redeploy ? "" : `Pulling ${image}\n`}${extra}`;
    const failed = "Error occurred ❌, check the logs for details.\n";
    if (outcome === "fail-build") return { status: "error", log: `${head}Error response from daemon: manifest for ${image} not found: manifest unknown\n❌ Pulling image failed\n\n${failed}` };
    if (outcome === "fail-start") return { status: "error", log: `${head}Error response from daemon: invalid mount config for type "bind": bind source path does not exist\nError: ❌ Docker command failed\n${failed}` };
    this.tasks.set(service.appName, outcome === "crash-after-start" ? crashedTasks(service.appName) : [runningTask(service.appName)]);
    return { status: "done", log: `${head}Starting service ${service.appName}\nDocker Deployed: ✅\n` };
  }
}

function runningTask(appName: string): SimTask {
  return { containerId: nanoid().slice(0, 12).toLowerCase(), name: `${appName}.1`, state: "Running", currentState: "Running 1 second ago", node: "sim-node", error: "" };
}

/** A crash-looping service: the last task failed and Swarm is starting another one. */
function crashedTasks(appName: string): SimTask[] {
  return [
    { containerId: nanoid().slice(0, 12).toLowerCase(), name: `${appName}.1`, state: "Running", currentState: "Starting 1 second ago", node: "sim-node", error: "" },
    { containerId: nanoid().slice(0, 12).toLowerCase(), name: ` \\_ ${appName}.1`, state: "Shutdown", currentState: "Failed 3 seconds ago", node: "sim-node", error: "task: non-zero exit (1)" },
  ];
}
