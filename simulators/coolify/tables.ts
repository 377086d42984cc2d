/**
 * The Coolify simulator's tables and their indexes: rows by uuid, by id and by parent (environment, application),
 * and applications by domain, so that no request scans a whole table (which made every large benchmark measure
 * the simulator rather than stackctl). The arrays stay public: tests may read them, edit rows in place, or
 * replace or splice an array to make drift by hand. The indexes keep the contract of ../dokploy/table-index.ts: an
 * array replaced or changed in length behind the store's back is re-indexed at its next lookup, and every answer
 * is checked against the row's current key, so a row whose key a test edits in place drops out of its old parent
 * at once and is found under its new one after the next rebuild (`store.applications = [...store.applications]`
 * forces it). Rows the store inserts or deletes itself are indexed as they are pushed or spliced out, so a delete
 * costs its children and one scan of its array for the row's position, not a rebuild.
 */
import { TableIndex } from "../dokploy/table-index.ts";
import { DomainIndex } from "./domain-index.ts";
import type { ApplicationRow, DatabaseRow, DestinationRow, EnvironmentRow, EnvVarRow, ProjectRow, ServerRow, ServiceRow, StorageRow } from "./rows.ts";

const id = (n: number) => String(n);

/** The rows of one team, with O(1) lookups by uuid and id and O(children) lookups by parent. */
export class CoolifyTables {
  projects: ProjectRow[] = [];
  environments: EnvironmentRow[] = [];
  applications: ApplicationRow[] = [];
  envs: EnvVarRow[] = [];
  services: ServiceRow[] = [];
  databases: DatabaseRow[] = [];
  servers: ServerRow[] = [];
  destinations: DestinationRow[] = [];
  storages: StorageRow[] = [];
  #projectByUuid = new TableIndex<ProjectRow>((r) => r.uuid);
  #environmentsByProject = new TableIndex<EnvironmentRow>((r) => id(r.project_id));
  #applicationByUuid = new TableIndex<ApplicationRow>((r) => r.uuid);
  #applicationById = new TableIndex<ApplicationRow>((r) => id(r.id));
  #applicationsByEnvironment = new TableIndex<ApplicationRow>((r) => id(r.environment_id));
  #applicationsByDomain = new DomainIndex();
  #envsByApplication = new TableIndex<EnvVarRow>((r) => id(r.application_id));
  #storagesByApplication = new TableIndex<StorageRow>((r) => id(r.application_id));
  #servicesByEnvironment = new TableIndex<ServiceRow>((r) => id(r.environment_id));
  #databasesByEnvironment = new TableIndex<DatabaseRow>((r) => id(r.environment_id));

  // ---- lookups ----
  /** The project with this uuid. */
  project(uuid: string | undefined): ProjectRow | undefined {
    return uuid === undefined ? undefined : this.#projectByUuid.first(this.projects, uuid);
  }
  /** The environments of a project, oldest first. */
  environmentsOf(project: ProjectRow): EnvironmentRow[] { return this.#environmentsByProject.all(this.environments, id(project.id)); }
  /** The application with this uuid (pending deletions included). */
  application(uuid: string | undefined): ApplicationRow | undefined {
    return uuid === undefined ? undefined : this.#applicationByUuid.first(this.applications, uuid);
  }
  /** The application with this integer id. */
  applicationById(appId: number): ApplicationRow | undefined { return this.#applicationById.first(this.applications, id(appId)); }
  /** Applications of an environment, oldest first, pending deletions included. */
  applicationsIn(env: EnvironmentRow): ApplicationRow[] { return this.#applicationsByEnvironment.all(this.applications, id(env.id)); }
  /** Applications whose `fqdn` holds this domain (compared as domain-index.ts's domainKey), oldest first. */
  applicationsUsing(key: string): ApplicationRow[] { return this.#applicationsByDomain.users(this.applications, key).sort((a, b) => a.id - b.id); }
  /** Env vars of an application (production and preview), oldest first. */
  envsOf(app: ApplicationRow): EnvVarRow[] { return this.#envsByApplication.all(this.envs, id(app.id)); }
  /** Storages of an application, oldest first. */
  storagesOf(app: ApplicationRow): StorageRow[] { return this.#storagesByApplication.all(this.storages, id(app.id)); }
  /** Services of an environment. */
  servicesIn(env: EnvironmentRow): ServiceRow[] { return this.#servicesByEnvironment.all(this.services, id(env.id)); }
  /** Standalone databases of an environment, every engine. */
  databasesIn(env: EnvironmentRow): DatabaseRow[] { return this.#databasesByEnvironment.all(this.databases, id(env.id)); }

  // ---- inserts and the one indexed column written in place ----
  /** Appends a project row. */
  pushProject(row: ProjectRow): void {
    this.projects.push(row);
    this.#projectByUuid.added(this.projects, row);
  }
  /** Appends an environment row. */
  pushEnvironment(row: EnvironmentRow): void {
    this.environments.push(row);
    this.#environmentsByProject.added(this.environments, row);
  }
  /** Appends an application row. */
  pushApplication(row: ApplicationRow): void {
    this.applications.push(row);
    for (const index of [this.#applicationByUuid, this.#applicationById, this.#applicationsByEnvironment]) index.added(this.applications, row);
    this.#applicationsByDomain.added(this.applications, row);
  }
  /** Sets an application's `fqdn` (its domains), keeping the domain index current. */
  setFqdn(app: ApplicationRow, fqdn: string | null): void {
    app.fqdn = fqdn;
    this.#applicationsByDomain.changed(this.applications, app);
  }
  /** Appends an env var row. */
  pushEnv(row: EnvVarRow): void {
    this.envs.push(row);
    this.#envsByApplication.added(this.envs, row);
  }
  /** Appends a storage row. */
  pushStorage(row: StorageRow): void {
    this.storages.push(row);
    this.#storagesByApplication.added(this.storages, row);
  }
  /** Appends a service row. */
  pushService(row: ServiceRow): void {
    this.services.push(row);
    this.#servicesByEnvironment.added(this.services, row);
  }
  /** Appends a database row. */
  pushDatabase(row: DatabaseRow): void {
    this.databases.push(row);
    this.#databasesByEnvironment.added(this.databases, row);
  }

  // ---- deletes (spliced out of the arrays in place, so that the indexes follow without a rebuild) ----
  /** Deletes a project row (its environments are the caller's: Coolify refuses a project that holds anything). */
  removeProject(row: ProjectRow): void {
    if (splice(this.projects, row)) this.#projectByUuid.removed(this.projects, row);
  }
  /** Deletes an environment row. */
  removeEnvironment(row: EnvironmentRow): void {
    if (splice(this.environments, row)) this.#environmentsByProject.removed(this.environments, row);
  }
  /** Deletes an application with its env vars and storages. */
  removeApplication(row: ApplicationRow): void {
    for (const env of this.envsOf(row)) this.removeEnv(env);
    for (const storage of this.storagesOf(row)) this.removeStorage(storage);
    if (!splice(this.applications, row)) return;
    for (const index of [this.#applicationByUuid, this.#applicationById, this.#applicationsByEnvironment]) index.removed(this.applications, row);
    this.#applicationsByDomain.removed(this.applications, row);
  }
  /** Deletes an env var row. */
  removeEnv(row: EnvVarRow): void {
    if (splice(this.envs, row)) this.#envsByApplication.removed(this.envs, row);
  }
  /** Deletes a storage row. */
  removeStorage(row: StorageRow): void {
    if (splice(this.storages, row)) this.#storagesByApplication.removed(this.storages, row);
  }
}

/** Removes `row` from `table` in place; false when it is not there (a test took it out already). */
function splice<T>(table: T[], row: T): boolean {
  const at = table.indexOf(row);
  if (at < 0) return false;
  table.splice(at, 1);
  return true;
}
