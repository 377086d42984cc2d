/**
 * The Coolify simulator's in-memory state: projects, environments, applications, env vars, storages, servers and
 * destinations, with the model behaviour routes rely on (integer ids plus uuids, the `production` environment
 * created with each project, environment names lower-cased on save, preview copies of env vars, asynchronous
 * application deletion, Docker volumes made at deployment and left by a storage's deletion). Tests may read and edit the arrays directly to make drift by hand.
 */
import { randomBytes } from "node:crypto";
import { CoolifyDeployQueue } from "./deploys.ts";

/** A project row. */
export interface ProjectRow { id: number; uuid: string; name: string; description: string | null }
/** An environment row; `project_id` is the project's integer id. */
export interface EnvironmentRow { id: number; uuid: string; name: string; description: string | null; project_id: number }
/** A server with its proxy switch (domains are only validated and stored on PATCH when a proxy runs). */
export interface ServerRow { id: number; uuid: string; name: string; description: string | null; ip: string; proxy: boolean }
/** A destination (Docker network) of a server. */
export interface DestinationRow { id: number; uuid: string; name: string; server_id: number; network: string }
/** An application: the model's columns as a loose record, plus simulator bookkeeping. */
export interface ApplicationRow extends Record<string, unknown> {
  id: number;
  uuid: string;
  name: string;
  description: string | null;
  environment_id: number;
  destination_id: number;
  fqdn: string | null;
  status: string;
  tags: string[];
  /** Set while the asynchronous deletion job is pending: still listed, still blocks its environment. */
  deleting?: boolean;
}
/** A service (one-click or docker-compose) of an environment. */
export interface ServiceRow { id: number; uuid: string; name: string; description: string | null; environment_id: number; server_id: number; status: string }
/** A standalone database of an environment; `database_type` is Coolify's model name, e.g. `standalone-postgresql`. */
export interface DatabaseRow { id: number; uuid: string; name: string; description: string | null; environment_id: number; database_type: string; status: string }
/** An env var of an application; (key, is_preview) identifies it. */
export interface EnvVarRow {
  id: number;
  uuid: string;
  application_id: number;
  key: string;
  value: string | null;
  is_preview: boolean;
  is_literal: boolean;
  is_multiline: boolean;
  is_shown_once: boolean;
  is_runtime: boolean;
  is_buildtime: boolean;
  comment: string | null;
}

/**
 * A storage of an application (LocalPersistentVolume, or LocalFileVolume when `type` is file): a named volume
 * (`name` is the Docker volume's name, `{app uuid}-{name}` when made through the API or UI) or, with `host_path`,
 * a bind mount. See routes/storages.ts.
 */
export interface StorageRow {
  id: number;
  uuid: string;
  type: "persistent" | "file";
  application_id: number;
  name: string | null;
  mount_path: string;
  host_path: string | null;
  fs_path: string | null;
  content: string | null;
  is_directory: boolean;
  is_preview_suffix_enabled: boolean;
}

/** Switches of the simulated instance. */
export interface CoolifySettings {
  /** Settings → API access; false answers every authenticated call 403 "API is disabled.". */
  apiEnabled: boolean;
  /** Whether the token has read:sensitive (values and the Dockerfile visible). */
  canReadSensitive: boolean;
  /** Delay of the DeleteResourceJob after DELETE /applications/{uuid}. */
  deleteDelayMs: number;
}

/** The column defaults of an application row (Coolify's migrations), before the create's own fields. */
export const APPLICATION_DEFAULTS = {
  git_repository: "coollabsio/coolify", git_branch: "main", base_directory: "/", dockerfile: null, dockerfile_location: "/Dockerfile",
  docker_registry_image_name: null, docker_registry_image_tag: null, ports_exposes: "80", start_command: null, install_command: null, build_command: null,
  health_check_enabled: false, health_check_path: "/", health_check_port: null, health_check_host: "localhost", health_check_method: "GET",
  health_check_return_code: 200, health_check_scheme: "http", health_check_interval: 5, health_check_timeout: 5, health_check_retries: 10,
  health_check_start_period: 5, limits_cpus: "0", limits_memory: "0", limits_memory_swap: "0", limits_cpu_shares: 1024, custom_labels: null,
};

/** A Coolify-style cuid2-ish uuid (24 lowercase alphanumerics). */
export function newUuid(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(24)].map((b) => alphabet[b % 36]).join("");
}

/** In-memory Coolify state of one team. */
export class CoolifyStore {
  projects: ProjectRow[] = [];
  environments: EnvironmentRow[] = [];
  applications: ApplicationRow[] = [];
  envs: EnvVarRow[] = [];
  services: ServiceRow[] = [];
  databases: DatabaseRow[] = [];
  servers: ServerRow[] = [];
  destinations: DestinationRow[] = [];
  storages: StorageRow[] = [];
  /** Docker volumes on the server: made by a deployment, left by a storage's deletion, removed with the application. */
  dockerVolumes = new Set<string>();
  /** What each application's running container mounts (`source:mount_path`), as of its last deployment, by id. */
  runningMounts = new Map<number, string[]>();
  settings: CoolifySettings;
  /** The deployment queue and its knobs (see deploys.ts). */
  readonly deploys: CoolifyDeployQueue = new CoolifyDeployQueue(() => this.applications);
  #nextId = 1;
  #timers = new Set<NodeJS.Timeout>();

  /** Starts with the instance's own server `localhost` and its default destination. */
  constructor(settings: CoolifySettings) {
    this.settings = settings;
    // Storages reach the containers with a deployment that finished (they apply at the next deploy).
    this.deploys.onFinished = (app) => this.deployStorages(app);
    const server = this.addServer("localhost");
    this.addDestination(server, "coolify");
  }

  /** The next integer primary key (one sequence for every table keeps lookups unambiguous in tests). */
  nextId(): number { return this.#nextId++; }

  /** Adds a server (with a proxy unless told otherwise). */
  addServer(name: string, proxy = true): ServerRow {
    const row = { id: this.nextId(), uuid: newUuid(), name, description: null, ip: "127.0.0.1", proxy };
    this.servers.push(row);
    return row;
  }

  /** Adds a destination network to a server. */
  addDestination(server: ServerRow, name: string): DestinationRow {
    const row = { id: this.nextId(), uuid: newUuid(), name, server_id: server.id, network: name };
    this.destinations.push(row);
    return row;
  }

  /** Creates a project and, as Project::created does, its `production` environment. */
  addProject(name: string, description: string | null): ProjectRow {
    const row = { id: this.nextId(), uuid: newUuid(), name, description };
    this.projects.push(row);
    this.addEnvironment(row, "production", null);
    return row;
  }

  /** Creates an environment; the name is lower-cased, trimmed and '/' → '-' (Environment::customizeName). */
  addEnvironment(project: ProjectRow, name: string, description: string | null): EnvironmentRow {
    const row = { id: this.nextId(), uuid: newUuid(), name: customizeName(name), description, project_id: project.id };
    this.environments.push(row);
    return row;
  }

  /**
   * Inserts an application as if made in the UI (no API rules, no tags), for tests of drift, adoption and
   * conflicts; it goes to the first destination (the `localhost` server's).
   */
  insertApplication(env: EnvironmentRow, fields: Record<string, unknown> & { name: string }): ApplicationRow {
    const row: ApplicationRow = {
      ...APPLICATION_DEFAULTS, id: this.nextId(), uuid: newUuid(), description: null, environment_id: env.id,
      destination_id: this.destinations[0]!.id, fqdn: null, status: "exited:unhealthy", tags: [], ...fields,
    };
    this.applications.push(row);
    return row;
  }

  /** Adds a service to an environment, as someone would in the UI. */
  insertService(env: EnvironmentRow, name: string, description: string | null = null): ServiceRow {
    const row = { id: this.nextId(), uuid: newUuid(), name, description, environment_id: env.id, server_id: this.servers[0]!.id, status: "running:healthy" };
    this.services.push(row);
    return row;
  }

  /** Adds a standalone database (`postgresql` by default) to an environment, as someone would in the UI. */
  insertDatabase(env: EnvironmentRow, name: string, engine = "postgresql"): DatabaseRow {
    const row = { id: this.nextId(), uuid: newUuid(), name, description: null, environment_id: env.id, database_type: `standalone-${engine}`, status: "running:healthy" };
    this.databases.push(row);
    return row;
  }

  /** Whether an environment holds anything (Environment::isEmpty counts applications, services and databases). */
  hasResources(env: EnvironmentRow): boolean {
    return this.applicationsIn(env).length > 0 || this.services.some((s) => s.environment_id === env.id) || this.databases.some((d) => d.environment_id === env.id);
  }

  /** Environment of a project by name first, then uuid (Coolify's lookup order). */
  environmentOf(project: ProjectRow, nameOrUuid: string): EnvironmentRow | undefined {
    const mine = this.environments.filter((e) => e.project_id === project.id);
    return mine.find((e) => e.name === nameOrUuid) ?? mine.find((e) => e.uuid === nameOrUuid);
  }

  /** Applications of an environment, pending deletions included. */
  applicationsIn(env: EnvironmentRow): ApplicationRow[] {
    return this.applications.filter((a) => a.environment_id === env.id);
  }

  /** Queues the DeleteResourceJob: the application disappears (with its env vars) after `deleteDelayMs`. */
  queueDelete(app: ApplicationRow): void {
    if (app.deleting) return;
    app.deleting = true;
    const finish = () => {
      this.applications = this.applications.filter((a) => a !== app);
      this.envs = this.envs.filter((e) => e.application_id !== app.id);
      // delete_volumes defaults to true: the application's named volumes go with it.
      for (const st of this.storages) if (st.application_id === app.id && st.host_path === null && st.name) this.dockerVolumes.delete(st.name);
      this.storages = this.storages.filter((st) => st.application_id !== app.id);
      this.runningMounts.delete(app.id);
    };
    if (this.settings.deleteDelayMs <= 0) return finish();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      finish();
    }, this.settings.deleteDelayMs);
    this.#timers.add(timer);
  }

  /**
   * What a deployment does with storages (ApplicationDeploymentJob): the container mounts what the storages say now
   * (a change made since the last deployment takes effect only here), and named volumes are created on first use.
   */
  deployStorages(app: ApplicationRow): void {
    const mounts: string[] = [];
    for (const st of this.storages.filter((x) => x.application_id === app.id)) {
      const source = st.type === "file" ? st.fs_path : (st.host_path ?? st.name);
      if (st.type === "persistent" && st.host_path === null && st.name) this.dockerVolumes.add(st.name);
      mounts.push(`${source}:${st.mount_path}`);
    }
    this.runningMounts.set(app.id, mounts.sort());
  }

  /** Cancels pending jobs (server shutdown). */
  dispose(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.deploys.dispose();
  }

  /** The server an application runs on (through its destination). */
  serverOf(app: ApplicationRow): ServerRow {
    const destination = this.destinations.find((d) => d.id === app.destination_id);
    return this.servers.find((s) => s.id === destination?.server_id) ?? this.servers[0]!;
  }
}

/** Environment::customizeName. */
export function customizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\//g, "-");
}
