/**
 * The Coolify simulator's deployment queue (ApplicationDeploymentQueue and ApplicationDeploymentJob of v4.3, see
 * shared/docs/providers/coolify-storages-deployments.md §3): `/deploy` saves a `queued` row; rows start when the
 * server has a free build slot (`concurrent_builds`, default 2), go `in_progress`, then `finished` or `failed`; a
 * second deploy of the same commit while one is queued or in progress answers "Deployment already queued for this
 * commit." with a freshly generated uuid that was never saved. Logs are the JSON-encoded list of entries. After a
 * finished deployment the application's `status` is `running:healthy` (`running:unknown` without a health check);
 * a crash after start leaves it `restarting:unhealthy`. Outcome, duration and log text are knobs. Rows are indexed by
 * application and by uuid, and the queued or in-progress ones are kept apart, so that queueing and starting cost
 * O(active deployments), not O(every deployment ever made).
 */
import { TableIndex } from "../dokploy/table-index.ts";
import { newUuid } from "./rows.ts";
import type { ApplicationRow } from "./rows.ts";

/** How a simulated deployment ends (the same vocabulary as the Dokploy simulator's). */
export type SimDeployOutcome = "succeed" | "fail-build" | "fail-start" | "crash-after-start";

/** The deploy knobs (store.deploySettings). */
export interface CoolifyDeployKnobs {
  outcome: SimDeployOutcome;
  /** Outcome by application name. */
  outcomes: Record<string, SimDeployOutcome>;
  /** How long a deployment stays in_progress; Infinity: until finishActive(). */
  durationMs: number;
  /** Build output lines logged before the outcome's last lines. */
  logLines: string[];
  /** Builds at once per server (the server's concurrent_builds). */
  concurrentBuilds: number;
}

/** One row of application_deployment_queues, as `GET /deployments/{uuid}` returns it (logs aside). */
export interface DeploymentQueueRow {
  id: number;
  deployment_uuid: string;
  application_id: string;
  application_name: string;
  server_name: string;
  server_id: number;
  status: "queued" | "in_progress" | "finished" | "failed" | "cancelled-by-user";
  commit: string;
  commit_message: string;
  force_rebuild: boolean;
  is_api: boolean;
  is_webhook: boolean;
  rollback: boolean;
  pull_request_id: number;
  deployment_url: string;
  logs: string;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
}

interface LogEntry { command: string | null; output: string; type: "stdout" | "stderr"; timestamp: string; hidden: boolean; batch: number; order: number }

/** The default knobs. */
export function defaultCoolifyDeployKnobs(): CoolifyDeployKnobs {
  return { outcome: "succeed", outcomes: {}, durationMs: 50, logLines: [], concurrentBuilds: 2 };
}

/** The queue of one simulated instance. */
export class CoolifyDeployQueue {
  /** Every deployment, oldest first (tests read it; rows are added by `queue` only). */
  rows: DeploymentQueueRow[] = [];
  knobs: CoolifyDeployKnobs = defaultCoolifyDeployKnobs();
  /** Called when a deployment of `app` finished: its new containers run (the store mounts its storages). */
  onFinished: ((app: ApplicationRow) => void) | undefined;
  #timers = new Set<NodeJS.Timeout>();
  #nextId = 1;
  #app: (id: number) => ApplicationRow | undefined;
  #byApplication = new TableIndex<DeploymentQueueRow>((r) => r.application_id);
  #byUuid = new TableIndex<DeploymentQueueRow>((r) => r.deployment_uuid);
  /** The queued and in-progress rows, oldest first (finished ones are dropped at the next pump). */
  #active: DeploymentQueueRow[] = [];

  /** `app` finds an application by its integer id. */
  constructor(app: (id: number) => ApplicationRow | undefined) {
    this.#app = app;
  }

  /** The deployments of an application, oldest first. */
  of(app: ApplicationRow): DeploymentQueueRow[] { return this.#byApplication.all(this.rows, String(app.id)); }

  /** The deployment with this uuid. */
  byUuid(uuid: string | undefined): DeploymentQueueRow | undefined { return uuid === undefined ? undefined : this.#byUuid.first(this.rows, uuid); }

  /** The queued and in-progress deployments, oldest first. */
  active(): DeploymentQueueRow[] { return this.#active.filter(isActive); }

  /** queue handles one application of `/deploy` (or `/start`): the answer's item. */
  queue(app: ApplicationRow, serverName: string, serverId: number): { message: string; resource_uuid: string; deployment_uuid: string } {
    const pending = this.of(app).some((r) => r.commit === "HEAD" && isActive(r));
    // The real uuid is dropped (bootstrap/helpers/applications.php:58-63): the one answered was never saved.
    if (pending) return { message: "Deployment already queued for this commit.", resource_uuid: app.uuid, deployment_uuid: newUuid() };
    const now = new Date().toISOString();
    const row: DeploymentQueueRow = {
      id: this.#nextId++, deployment_uuid: newUuid(), application_id: String(app.id), application_name: app.name, server_name: serverName, server_id: serverId,
      status: "queued", commit: "HEAD", commit_message: "", force_rebuild: false, is_api: true, is_webhook: false, rollback: false, pull_request_id: 0,
      deployment_url: `/project/-/environment/-/application/${app.uuid}/deployment/`, logs: "[]", finished_at: null, created_at: now, updated_at: now,
    };
    row.deployment_url += row.deployment_uuid;
    this.rows.push(row);
    this.#byApplication.added(this.rows, row);
    this.#byUuid.added(this.rows, row);
    this.#active.push(row);
    this.pump();
    return { message: "Application deployment queued.", resource_uuid: app.uuid, deployment_uuid: row.deployment_uuid };
  }

  /** finishActive ends every in-progress deployment now (tests that drive time by hand). */
  finishActive(): void {
    for (const row of this.#active.filter((r) => r.status === "in_progress")) this.finish(row);
  }

  /** busy is true while a deployment is queued or in progress. */
  busy(): boolean {
    return this.#active.some(isActive);
  }

  /** Stops the pending timers (server close). */
  dispose(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** Starts what the build slots allow: per server `concurrentBuilds` at once, one per application. */
  private pump(): void {
    this.#active = this.#active.filter(isActive);
    const building = new Map<number, DeploymentQueueRow[]>();
    const buildingOn = (serverId: number) => building.get(serverId) ?? building.set(serverId, []).get(serverId)!;
    for (const r of this.#active) if (r.status === "in_progress") buildingOn(r.server_id).push(r);
    for (const row of this.#active) {
      if (row.status !== "queued") continue;
      const active = buildingOn(row.server_id);
      if (active.length >= Math.max(1, this.knobs.concurrentBuilds)) continue;
      if (active.some((r) => r.application_id === row.application_id)) continue;
      this.start(row);
      active.push(row);
    }
  }

  private start(row: DeploymentQueueRow): void {
    row.status = "in_progress";
    row.updated_at = new Date().toISOString();
    this.log(row, `Starting deployment of ${row.application_name}.`, false);
    this.log(row, "docker inspect coolify-helper", true);
    if (!Number.isFinite(this.knobs.durationMs)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.finish(row);
    }, this.knobs.durationMs);
    timer.unref();
    this.#timers.add(timer);
  }

  private finish(row: DeploymentQueueRow): void {
    if (row.status !== "in_progress") return;
    const app = this.#app(Number(row.application_id));
    const outcome = (app && this.knobs.outcomes[app.name]) ?? this.knobs.outcome;
    for (const line of this.knobs.logLines) this.log(row, line, false);
    if (outcome === "fail-build") {
      this.log(row, "ERROR: failed to solve: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1", false, "stderr");
      this.log(row, "Deployment failed. Removing the new version of your application.", false, "stderr");
    } else if (outcome === "fail-start") {
      this.log(row, "New container is not healthy, rolling back to the old container.", false, "stderr");
      this.log(row, "Deployment failed. Removing the new version of your application.", false, "stderr");
    } else {
      this.log(row, "New container started.", false);
      this.log(row, "Rolling update completed.", false);
    }
    const failed = outcome === "fail-build" || outcome === "fail-start";
    row.status = failed ? "failed" : "finished";
    row.finished_at = row.updated_at = new Date().toISOString();
    // A failed deployment leaves the previous container (or none) as it was.
    if (app && !failed) {
      app.status = outcome === "crash-after-start" ? "restarting:unhealthy" : app.health_check_enabled ? "running:healthy" : "running:unknown";
      this.onFinished?.(app);
    }
    this.pump();
  }

  private log(row: DeploymentQueueRow, output: string, hidden: boolean, type: "stdout" | "stderr" = "stdout"): void {
    const entries = JSON.parse(row.logs) as LogEntry[];
    entries.push({ command: hidden ? output : null, output: hidden ? "" : output, type, timestamp: new Date().toISOString(), hidden, batch: 1, order: entries.length + 1 });
    row.logs = JSON.stringify(entries);
  }
}

function isActive(row: DeploymentQueueRow): boolean {
  return row.status === "queued" || row.status === "in_progress";
}
