/**
 * The contract between the engine and a platform (Dokploy, Coolify). A provider reads a server into the neutral
 * model and performs single writes; it never decides what to write — plan() does, and apply() calls these
 * methods in plan order. Every method throws a `ProviderError` (see `http/errors.ts`) on failure.
 */
import type { DeploymentObservation, DeploymentTicket, RuntimeObservation } from "./deploy/types.ts";
import type { ActualState, AppField, AppSpec, DomainSpec, OwnerMarker } from "./model.ts";

/** What observe() must read in detail: projects with these names, plus every project marked by `instance`. */
export interface ObserveRequest {
  instance: string;
  projectNames: ReadonlySet<string>;
  /**
   * Optional: read in full only the projects of `projectNames`; projects merely marked by `instance` are then read
   * in summary. The controller sets it when it reconciles one stack, which needs its own project only.
   */
  onlyNamed?: boolean;
  /**
   * Optional, with `onlyNamed`: nothing outside the named projects matters to the caller (a stack that has not moved
   * to another project), so a provider that remembers their ids may read them directly instead of listing every
   * project first; it must fall back to the full read for a name it does not know or an id that is gone.
   */
  knownProjectsOnly?: boolean;
  /**
   * Optional: whether an application needs its full read (spec and domains). Returning false skips that read,
   * e.g. for a stack whose manifest and last applied state are unchanged; the application is then listed with
   * its description and owner only. Absent: every application of a detailed project is read in full.
   */
  detailApplications?: (projectName: string, environmentName: string, applicationName: string) => boolean;
  /**
   * Optional: the desired env and build args of an application, for platforms whose token may not read values
   * back (Coolify without read:sensitive); such a provider compares a fingerprint it stored when writing instead.
   * Absent, or undefined for an application: unreadable values are reported as unknown (no drift).
   */
  desiredValues?: (projectName: string, environmentName: string, applicationName: string) => { env: Record<string, string>; buildArgs: Record<string, string> } | undefined;
  /**
   * Optional: awaited before each project's detailed read, so that a caller can spread a large read over time (the
   * controller's teardown sweep, which reads every owned project, paces itself like the drift checks).
   */
  paceReads?: () => Promise<void>;
  /**
   * Optional: whether the caller's plan may remove this environment (its marker, parsed, is `owner`). A provider
   * whose cheap read of an environment does not show everything it holds (Coolify's environment details leave out
   * some database engines) reads the rest only when this says yes for some environment. Absent: every environment
   * may be removed.
   */
  mayRemoveEnvironment?: (projectName: string, environmentName: string, owner: OwnerMarker | null) => boolean;
}

/** A field of a stack that a provider cannot express: plan() reports it as an error on the stack. */
export interface CapabilityIssue {
  /** Path inside the manifest, e.g. `spec.applications[0].volumes`. */
  field: string;
  message: string;
}

/** A reference to an environment: providers address it by id (Dokploy) or by project + name (Coolify). */
export interface EnvironmentRef {
  projectId: string;
  environmentId: string;
  environmentName: string;
}

/** A platform adapter. Ids are the provider's own opaque strings. */
export interface Provider {
  readonly kind: "dokploy" | "coolify";
  /** True when a domain change reaches the proxy only with the next deployment (Coolify's labels); plan() then deploys. */
  readonly domainsNeedRedeploy?: boolean;
  /** Lists what of this application spec the platform cannot express (pure; no I/O). */
  unsupported(spec: AppSpec, path: string): CapabilityIssue[];
  /**
   * Optional: what of a stack's project, environment and description the platform cannot express (pure; no I/O),
   * e.g. Coolify's 3-character minimum for names. Fields are manifest paths such as `spec.environment`.
   */
  unsupportedStack?(project: string, environment: string, description?: string | null): CapabilityIssue[];
  /** Reads the server's state: all projects in summary, those named by the request in full. */
  observe(request: ObserveRequest): Promise<ActualState>;
  /** Creates a project; returns its id and, where the platform creates one, its default environment. */
  createProject(name: string, description: string): Promise<{ id: string; defaultEnvironment?: { id: string; name: string } }>;
  /** Rewrites a project's description (its ownership marker). */
  updateProject(id: string, description: string): Promise<void>;
  /** Deletes an empty project. */
  deleteProject(id: string): Promise<void>;
  /** Creates an environment in a project. */
  createEnvironment(projectId: string, name: string, description: string): Promise<{ id: string }>;
  /** Rewrites an environment's description. */
  updateEnvironment(ref: EnvironmentRef, description: string): Promise<void>;
  /** Deletes an empty, non-default environment. */
  deleteEnvironment(ref: EnvironmentRef): Promise<void>;
  /** Creates an application fully configured as `spec` (not deployed); returns its id. */
  createApplication(env: EnvironmentRef, name: string, description: string, spec: AppSpec): Promise<{ id: string }>;
  /** Writes the `fields` of `spec` that changed, plus the description when given (adoption). */
  updateApplication(id: string, spec: AppSpec, fields: readonly AppField[], description?: string): Promise<void>;
  /** Deletes an application and its domains, and stops its containers. */
  deleteApplication(id: string): Promise<void>;
  /** Adds a domain to an application. */
  createDomain(applicationId: string, domain: DomainSpec): Promise<{ id: string }>;
  /** Rewrites a domain. */
  updateDomain(applicationId: string, domainId: string, domain: DomainSpec): Promise<void>;
  /** Removes a domain. */
  deleteDomain(applicationId: string, domainId: string): Promise<void>;
  /**
   * Starts a deployment of the application's current configuration and returns a ticket to follow it; when one is
   * already queued or running for the application, no second one is started and that one is followed (`joined`).
   */
  deployApplication(id: string): Promise<DeploymentTicket | void>;
  /** Optional (needed to wait): one poll of the deployment `ticket` follows; fills `ticket.deploymentId` once known. */
  observeDeployment?(ticket: DeploymentTicket): Promise<DeploymentObservation>;
  /** Optional: the last `lines` lines of the deployment's log, as the platform shows them to people (not scrubbed). */
  readDeploymentLog?(ticket: DeploymentTicket, lines: number): Promise<string[]>;
  /** Optional: a ticket for the application's newest deployment (`stackctl logs`), null when it has none. */
  latestDeployment?(appId: string): Promise<DeploymentTicket | null>;
  /** Optional: what the platform says about the application's containers now. */
  readRuntime?(appId: string): Promise<RuntimeObservation>;
}
