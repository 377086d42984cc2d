/**
 * The Coolify simulator's in-memory state: projects, environments, applications, env vars, storages, servers and
 * destinations, with the model behaviour routes rely on (integer ids plus uuids, the `production` environment
 * created with each project, environment names lower-cased on save, preview copies of env vars, asynchronous
 * application deletion, Docker volumes made at deployment and left by a storage's deletion). The tables and their
 * indexes are tables.ts's: tests may read and edit the arrays directly to make drift by hand (see there how the
 * indexes follow such edits).
 */
import { CoolifyDeployQueue } from "./deploys.ts";
import { APPLICATION_DEFAULTS, newUuid } from "./rows.ts";
import type { ApplicationRow, CoolifySettings, DatabaseRow, DestinationRow, EnvironmentRow, ProjectRow, ServerRow, ServiceRow } from "./rows.ts";
import { CoolifyTables } from "./tables.ts";

export * from "./rows.ts";

/** In-memory Coolify state of one team. */
export class CoolifyStore extends CoolifyTables {
  /** Docker volumes on the server: made by a deployment, left by a storage's deletion, removed with the application. */
  dockerVolumes = new Set<string>();
  /** What each application's running container mounts (`source:mount_path`), as of its last deployment, by id. */
  runningMounts = new Map<number, string[]>();
  settings: CoolifySettings;
  /** The deployment queue and its knobs (see deploys.ts). */
  readonly deploys: CoolifyDeployQueue = new CoolifyDeployQueue((appId) => this.applicationById(appId));
  #nextId = 1;
  #timers = new Set<NodeJS.Timeout>();

  /** Starts with the instance's own server `localhost` and its default destination. */
  constructor(settings: CoolifySettings) {
    super();
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
    this.pushProject(row);
    this.addEnvironment(row, "production", null);
    return row;
  }

  /** Creates an environment; the name is lower-cased, trimmed and '/' → '-' (Environment::customizeName). */
  addEnvironment(project: ProjectRow, name: string, description: string | null): EnvironmentRow {
    const row = { id: this.nextId(), uuid: newUuid(), name: customizeName(name), description, project_id: project.id };
    this.pushEnvironment(row);
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
    this.pushApplication(row);
    return row;
  }

  /** Adds a service to an environment, as someone would in the UI. */
  insertService(env: EnvironmentRow, name: string, description: string | null = null): ServiceRow {
    const row = { id: this.nextId(), uuid: newUuid(), name, description, environment_id: env.id, server_id: this.servers[0]!.id, status: "running:healthy" };
    this.pushService(row);
    return row;
  }

  /** Adds a standalone database (`postgresql` by default) to an environment, as someone would in the UI. */
  insertDatabase(env: EnvironmentRow, name: string, engine = "postgresql"): DatabaseRow {
    const row = { id: this.nextId(), uuid: newUuid(), name, description: null, environment_id: env.id, database_type: `standalone-${engine}`, status: "running:healthy" };
    this.pushDatabase(row);
    return row;
  }

  /** Whether an environment holds anything (Environment::isEmpty counts applications, services and databases). */
  hasResources(env: EnvironmentRow): boolean {
    return this.applicationsIn(env).length > 0 || this.servicesIn(env).length > 0 || this.databasesIn(env).length > 0;
  }

  /** Environment of a project by name first, then uuid (Coolify's lookup order). */
  environmentOf(project: ProjectRow, nameOrUuid: string): EnvironmentRow | undefined {
    const mine = this.environmentsOf(project);
    return mine.find((e) => e.name === nameOrUuid) ?? mine.find((e) => e.uuid === nameOrUuid);
  }

  /** Queues the DeleteResourceJob: the application disappears (with its env vars) after `deleteDelayMs`. */
  queueDelete(app: ApplicationRow): void {
    if (app.deleting) return;
    app.deleting = true;
    const finish = () => {
      // delete_volumes defaults to true: the application's named volumes go with it.
      for (const st of this.storagesOf(app)) if (st.host_path === null && st.name) this.dockerVolumes.delete(st.name);
      this.removeApplication(app);
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
    for (const st of this.storagesOf(app)) {
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

  /** The server an application runs on (through its destination; servers and destinations are a handful: scans). */
  serverOf(app: ApplicationRow): ServerRow {
    const destination = this.destinations.find((d) => d.id === app.destination_id);
    return this.servers.find((s) => s.id === destination?.server_id) ?? this.servers[0]!;
  }
}

/** Environment::customizeName. */
export function customizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\//g, "-");
}
