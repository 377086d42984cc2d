/**
 * The simulator's in-memory database: plain row arrays plus the DB-level behaviour of Dokploy (defaults on insert,
 * FK cascades on delete, unique appNames) and a simulated Docker for deployments. Business rules (reserved names,
 * refusals) live in the routes. Tests may read and edit the arrays directly to make "drift" by hand.
 */
import { applicationDefaults, composeDefaults, domainDefaults } from "./rows.ts";
import type {
  ApplicationRow, ComposeRow, DatabaseKind, DatabaseRow, DeploymentRow, DomainRow, EnvironmentRow, MountRow, ProjectRow, ProjectTagRow, TagRow,
} from "./rows.ts";
import { buildAppName, nanoid, seededRng } from "./random.ts";
import { defaultDeployKnobs, DeployWorker } from "./deploys.ts";
import type { DeployKnobs } from "./deploys.ts";
import type { Rng } from "./random.ts";
import { TableIndex } from "./table-index.ts";

/** Behaviour switches of the simulated server; tests may flip them at any time. */
export interface SimulatorSettings {
  /** true: start/stop succeed and deploys end `done`. false: behave like the recorded server without Docker. */
  dockerAvailable: boolean;
  /** How long a deployment stays `running` before it ends; Infinity: until `deploys.finishActive()`. */
  deployDurationMs: number;
  /** Outcome, log text and concurrency of deployments (see deploys.ts). */
  deploy: DeployKnobs;
}

/** The persisted part of the store (the state file's content). */
export interface StoreSnapshot {
  organizationId: string;
  nextConfigKey: number;
  projects: ProjectRow[];
  environments: EnvironmentRow[];
  applications: ApplicationRow[];
  compose: ComposeRow[];
  databases: DatabaseRow[];
  domains: DomainRow[];
  mounts: MountRow[];
  deployments: DeploymentRow[];
  tags: TagRow[];
  projectTags: ProjectTagRow[];
}

/** In-memory Dokploy state. All arrays are in insertion order (oldest first). */
export class DokployStore implements StoreSnapshot {
  organizationId = nanoid();
  nextConfigKey = 1;
  projects: ProjectRow[] = [];
  environments: EnvironmentRow[] = [];
  applications: ApplicationRow[] = [];
  compose: ComposeRow[] = [];
  /** Every database service (postgres, mysql, mariadb, mongo, redis, libsql) in one table, told apart by `kind`. */
  databases: DatabaseRow[] = [];
  domains: DomainRow[] = [];
  mounts: MountRow[] = [];
  deployments: DeploymentRow[] = [];
  tags: TagRow[] = [];
  projectTags: ProjectTagRow[] = [];
  settings: SimulatorSettings = { dockerAvailable: true, deployDurationMs: 50, deploy: defaultDeployKnobs() };
  /** The deploy queue, log files and Swarm tasks (see deploys.ts). */
  readonly deploys: DeployWorker = new DeployWorker({
    dockerAvailable: () => this.settings.dockerAvailable,
    deployDurationMs: () => this.settings.deployDurationMs,
    knobs: () => this.settings.deploy,
    now: () => this.now(),
    service: (id) => this.application(id) ?? this.composeService(id),
    imageOf: (s) => String(s["dockerImage"] ?? s["customGitUrl"] ?? s.appName),
    pathOf: (s) => {
      const env = this.environment(s.environmentId);
      return `/dashboard/project/${env?.projectId ?? ""}/environment/${s.environmentId}`;
    },
    insertDeployment: (row) => this.insertDeployment(row),
    setStatus: (s, status) => this.setStatus(s, status),
  });
  /** Called after every change made through the store's methods (the server uses it to save the state file). */
  onChange: (() => void) | undefined;
  #rng: Rng;
  // Lookups by id and by parent, so that no request scans a whole table (see table-index.ts).
  #projectById = new TableIndex<ProjectRow>((r) => r.projectId);
  #environmentById = new TableIndex<EnvironmentRow>((r) => r.environmentId);
  #environmentsByProject = new TableIndex<EnvironmentRow>((r) => r.projectId);
  #applicationById = new TableIndex<ApplicationRow>((r) => r.applicationId);
  #applicationsByEnvironment = new TableIndex<ApplicationRow>((r) => r.environmentId);
  #applicationByAppName = new TableIndex<ApplicationRow>((r) => r.appName);
  #composeById = new TableIndex<ComposeRow>((r) => r.composeId);
  #composeByEnvironment = new TableIndex<ComposeRow>((r) => r.environmentId);
  #composeByAppName = new TableIndex<ComposeRow>((r) => r.appName);
  #domainById = new TableIndex<DomainRow>((r) => r.domainId);
  #domainsByService = new TableIndex<DomainRow>((r) => r.applicationId ?? r.composeId);
  #mountById = new TableIndex<MountRow>((r) => r.mountId);
  #mountsByService = new TableIndex<MountRow>((r) => r.applicationId ?? r.composeId);
  #deploymentsByService = new TableIndex<DeploymentRow>((r) => r.applicationId ?? r.composeId);
  #deploymentById = new TableIndex<DeploymentRow>((r) => r.deploymentId);
  #tagLinksByProject = new TableIndex<ProjectTagRow>((r) => r.projectId);

  /** `seed` drives the appName suffixes. */
  constructor(seed: number = Date.now()) {
    this.#rng = seededRng(seed);
  }

  /** ISO timestamp, as Dokploy's `createdAt`. */
  now(): string {
    return new Date().toISOString();
  }

  // ---- lookups (undefined when absent) ----
  /** Project by id. */
  project(id: string): ProjectRow | undefined { return this.#projectById.first(this.projects, id); }
  /** Environment by id. */
  environment(id: string): EnvironmentRow | undefined { return this.#environmentById.first(this.environments, id); }
  /** Application by id. */
  application(id: string): ApplicationRow | undefined { return this.#applicationById.first(this.applications, id); }
  /** Compose service by id. */
  composeService(id: string): ComposeRow | undefined { return this.#composeById.first(this.compose, id); }
  /** Domain by id. */
  domain(id: string): DomainRow | undefined { return this.#domainById.first(this.domains, id); }
  /** Mount by id. */
  mount(id: string): MountRow | undefined { return this.#mountById.first(this.mounts, id); }
  /** Deployment by id. */
  deployment(id: string): DeploymentRow | undefined { return this.#deploymentById.first(this.deployments, id); }
  /** Tag by id. */
  tag(id: string): TagRow | undefined { return this.tags.find((t) => t.tagId === id); }
  /** First project with this name (names are not unique in Dokploy). */
  findProjectByName(name: string): ProjectRow | undefined { return this.projects.find((p) => p.name === name); }
  /** First application with this display name, optionally within one environment. */
  findApplicationByName(name: string, environmentId?: string): ApplicationRow | undefined {
    const rows = environmentId === undefined ? this.applications : this.applicationsIn(environmentId);
    return rows.find((a) => a.name === name);
  }
  /** The application whose Docker service name (`appName`, unique) is this. */
  findApplicationByAppName(appName: string): ApplicationRow | undefined { return this.#applicationByAppName.first(this.applications, appName); }
  /** First compose service with this display name. */
  findComposeByName(name: string): ComposeRow | undefined { return this.compose.find((c) => c.name === name); }
  /** Environments of a project, oldest first. */
  environmentsOf(projectId: string): EnvironmentRow[] { return this.#environmentsByProject.all(this.environments, projectId); }
  /** Applications of an environment, oldest first. */
  applicationsIn(environmentId: string): ApplicationRow[] { return this.#applicationsByEnvironment.all(this.applications, environmentId); }
  /** Compose services of an environment, oldest first. */
  composeIn(environmentId: string): ComposeRow[] { return this.#composeByEnvironment.all(this.compose, environmentId); }
  /** Database services of an environment, oldest first (databases are few: a scan). */
  databasesIn(environmentId: string, kind?: DatabaseKind): DatabaseRow[] {
    return this.databases.filter((d) => d.environmentId === environmentId && (kind === undefined || d.kind === kind));
  }
  /** Domains of an application or compose service. */
  domainsOf(serviceId: string): DomainRow[] { return this.#domainsByService.all(this.domains, serviceId); }
  /** Mounts of an application or compose service. */
  mountsOf(serviceId: string): MountRow[] { return this.#mountsByService.all(this.mounts, serviceId); }
  /** The tag links of a project. */
  tagLinksOf(projectId: string): ProjectTagRow[] { return this.#tagLinksByProject.all(this.projectTags, projectId); }
  /** Deployments of an application or compose service, oldest first. */
  deploymentsOf(serviceId: string): DeploymentRow[] { return this.#deploymentsByService.all(this.deployments, serviceId); }

  // ---- inserts (column defaults, no business rules) ----
  /** Inserts a project and its default `production` environment, as `project.create` does. */
  insertProject(input: { name: string; description?: string | null; env?: string }): { project: ProjectRow; environment: EnvironmentRow } {
    const createdAt = this.now();
    const project: ProjectRow = { projectId: nanoid(), name: input.name, description: input.description ?? null, createdAt, organizationId: this.organizationId, env: input.env ?? "" };
    this.projects.push(project);
    this.#projectById.added(this.projects, project);
    const environment = this.insertEnvironment({ projectId: project.projectId, name: "production", description: "Production environment", isDefault: true });
    return { project, environment };
  }

  /** Inserts an environment row. */
  insertEnvironment(input: { projectId: string; name: string; description?: string | null; isDefault?: boolean }): EnvironmentRow {
    const row: EnvironmentRow = { environmentId: nanoid(), name: input.name, description: input.description ?? null, createdAt: this.now(), env: "", projectId: input.projectId, isDefault: input.isDefault ?? false };
    this.environments.push(row);
    this.#environmentById.added(this.environments, row);
    this.#environmentsByProject.added(this.environments, row);
    this.changed();
    return row;
  }

  /** Inserts an application with Dokploy's defaults; `appName` gets the random suffix. */
  insertApplication(input: { name: string; environmentId: string; appName?: string; description?: string | null; sourceType?: string }): ApplicationRow {
    const row: ApplicationRow = {
      applicationId: nanoid(), name: input.name, appName: this.uniqueAppName("app", input.appName), description: input.description ?? null,
      ...applicationDefaults(), refreshToken: nanoid(), sourceType: input.sourceType ?? "github", applicationStatus: "idle",
      createdAt: this.now(), environmentId: input.environmentId,
    };
    this.applications.push(row);
    for (const index of [this.#applicationById, this.#applicationsByEnvironment, this.#applicationByAppName]) index.added(this.applications, row);
    this.changed();
    return row;
  }

  /** Inserts a compose service with Dokploy's defaults. */
  insertCompose(input: { name: string; environmentId: string; appName?: string; description?: string | null; [k: string]: unknown }): ComposeRow {
    const { name, environmentId, appName, description, ...rest } = input;
    const row: ComposeRow = {
      composeId: nanoid(), name, appName: this.uniqueAppName("compose", appName), description: description ?? null,
      ...composeDefaults(), refreshToken: nanoid(), ...rest, composeStatus: "idle", environmentId, createdAt: this.now(),
    };
    this.compose.push(row);
    for (const index of [this.#composeById, this.#composeByEnvironment, this.#composeByAppName]) index.added(this.compose, row);
    this.changed();
    return row;
  }

  /** Inserts a database service of `kind`, as someone does in the UI (`postgres.create` and its siblings). */
  insertDatabase(input: { kind: DatabaseKind; name: string; environmentId: string; appName?: string; description?: string | null }): DatabaseRow {
    const row: DatabaseRow = {
      kind: input.kind, databaseId: nanoid(), name: input.name, appName: this.uniqueAppName("app", input.appName ?? input.kind),
      description: input.description ?? null, environmentId: input.environmentId, applicationStatus: "idle", createdAt: this.now(),
    };
    this.databases.push(row);
    this.changed();
    return row;
  }

  /** Inserts a domain; unset columns take the DB defaults, `uniqueConfigKey` is the next global integer. */
  insertDomain(input: Partial<DomainRow> & { host: string }): DomainRow {
    const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const row: DomainRow = { domainId: nanoid(), ...domainDefaults(), ...set, host: input.host, uniqueConfigKey: this.nextConfigKey++, createdAt: this.now() };
    this.domains.push(row);
    this.#domainById.added(this.domains, row);
    this.#domainsByService.added(this.domains, row);
    this.changed();
    return row;
  }

  /** Inserts a mount row. */
  insertMount(input: Omit<MountRow, "mountId">): MountRow {
    const row: MountRow = { mountId: nanoid(), ...input };
    this.mounts.push(row);
    this.#mountById.added(this.mounts, row);
    this.#mountsByService.added(this.mounts, row);
    this.changed();
    return row;
  }

  /** Inserts a tag of this organization. */
  insertTag(input: { name: string; color?: string | null }): TagRow {
    const row: TagRow = { tagId: nanoid(), name: input.name, color: input.color ?? null, createdAt: this.now(), organizationId: this.organizationId };
    this.tags.push(row);
    this.changed();
    return row;
  }

  /** Inserts a project-tag link. */
  insertProjectTag(projectId: string, tagId: string): ProjectTagRow {
    const row: ProjectTagRow = { id: nanoid(), projectId, tagId };
    this.projectTags.push(row);
    this.#tagLinksByProject.added(this.projectTags, row);
    this.changed();
    return row;
  }

  /** An appName unused by any application or compose (Dokploy would answer 409; the simulator just draws again). */
  uniqueAppName(prefix: "app" | "compose", given?: string): string {
    for (;;) {
      const name = buildAppName(this.#rng, prefix, given);
      const taken = this.#applicationByAppName.first(this.applications, name) || this.#composeByAppName.first(this.compose, name) || this.databases.some((d) => d.appName === name);
      if (!taken) return name;
    }
  }

  // ---- deletes (with the DB's ON DELETE CASCADE) ----
  /** Deletes a project and, by cascade, its environments and their services. */
  deleteProject(id: string): void {
    for (const env of this.environmentsOf(id)) this.deleteEnvironment(env.environmentId);
    this.projectTags = this.projectTags.filter((pt) => pt.projectId !== id);
    this.projects = this.projects.filter((p) => p.projectId !== id);
    this.changed();
  }

  /** Deletes an environment and, by cascade, its services. */
  deleteEnvironment(id: string): void {
    for (const app of this.applicationsIn(id)) this.deleteApplication(app.applicationId);
    for (const c of this.composeIn(id)) this.deleteCompose(c.composeId);
    this.databases = this.databases.filter((d) => d.environmentId !== id);
    this.environments = this.environments.filter((e) => e.environmentId !== id);
    this.changed();
  }

  /** Deletes an application with its domains, mounts and deployments. */
  deleteApplication(id: string): void {
    this.dropChildren(id);
    this.applications = this.applications.filter((a) => a.applicationId !== id);
    this.changed();
  }

  /** Deletes a compose service with its domains, mounts and deployments. */
  deleteCompose(id: string): void {
    this.dropChildren(id);
    this.compose = this.compose.filter((c) => c.composeId !== id);
    this.changed();
  }

  private dropChildren(serviceId: string): void {
    const mine = (r: { applicationId: string | null; composeId: string | null }) => r.applicationId === serviceId || r.composeId === serviceId;
    // Filtered only when the service has children: a whole-table copy per delete made a teardown quadratic.
    if (this.domainsOf(serviceId).length > 0) this.domains = this.domains.filter((d) => !mine(d));
    if (this.mountsOf(serviceId).length > 0) this.mounts = this.mounts.filter((m) => !mine(m));
    if (this.deploymentsOf(serviceId).length > 0) this.deployments = this.deployments.filter((d) => !mine(d));
  }

  /** Deletes a domain. */
  deleteDomain(id: string): void { this.domains = this.domains.filter((d) => d.domainId !== id); this.changed(); }
  /** Deletes a mount. */
  deleteMount(id: string): void { this.mounts = this.mounts.filter((m) => m.mountId !== id); this.changed(); }
  /** Deletes a tag and its project links. */
  deleteTag(id: string): void {
    this.projectTags = this.projectTags.filter((pt) => pt.tagId !== id);
    this.tags = this.tags.filter((t) => t.tagId !== id);
    this.changed();
  }

  /** Applies column changes to an application (for drift made by hand in tests). Returns false when absent. */
  patchApplication(id: string, patch: Record<string, unknown>): boolean {
    const app = this.application(id);
    if (!app) return false;
    Object.assign(app, patch);
    this.changed();
    return true;
  }

  // ---- simulated Docker ----
  /** Queues a deployment job (deploy / redeploy); its row appears when the job starts (see deploys.ts). */
  startDeployment(target: ApplicationRow | ComposeRow, title: string, description: string, type: "deploy" | "redeploy" = "deploy"): void {
    this.deploys.enqueue(target, type, title, description);
  }

  /** Inserts a deployment row; like removeLastTenDeployments, a service keeps its newest 10 rows plus the new one (11). */
  insertDeployment(row: DeploymentRow): void {
    const mine = this.deploymentsOf((row.applicationId ?? row.composeId)!).filter((d) => (row.applicationId ? d.applicationId === row.applicationId : d.composeId === row.composeId));
    if (mine.length > 10) {
      const keep = new Set([...mine].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 10));
      this.deployments = this.deployments.filter((d) => !mine.includes(d) || keep.has(d));
    }
    this.deployments.push(row);
    this.#deploymentsByService.added(this.deployments, row);
    this.#deploymentById.added(this.deployments, row);
    this.changed();
  }

  /** Sets `applicationStatus` or `composeStatus`. */
  setStatus(target: ApplicationRow | ComposeRow, status: ApplicationRow["applicationStatus"]): void {
    if ("composeStatus" in target) target.composeStatus = status;
    else target.applicationStatus = status;
    this.changed();
  }

  /** Resolves once no deployment is running (tests use it instead of sleeping). */
  async settled(): Promise<void> {
    while (this.deploys.busy() || this.deployments.some((d) => d.status === "running")) await new Promise((r) => setTimeout(r, 5));
  }

  /** Stops the pending deployment timers (on server close). */
  dispose(): void {
    this.deploys.dispose();
  }

  private changed(): void {
    this.onChange?.();
  }
}
