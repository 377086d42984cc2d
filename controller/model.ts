/**
 * The provider-neutral model: what a stack wants (desired) and what a server has (actual), in one vocabulary that
 * plan() compares and providers translate to and from their APIs. Units are normalised here (bytes, cores,
 * milliseconds) so that both sides compare with plain equality.
 */

/** Who owns an object on the server: parsed from the marker stackctl writes into its description. */
export interface OwnerMarker {
  instance: string;
  stack: string;
  /** The stack's deletion policy is `orphan`: its objects stay when the stack goes away. */
  orphan?: boolean;
}

/** Where an application's code comes from. */
export type AppSource =
  | { kind: "image"; image: string; registry: RegistryAuth | null }
  | { kind: "git"; url: string; branch: string; path: string; build: GitBuild }
  | { kind: "dockerfile"; dockerfile: string };

/** Credentials of a private registry; `password` is a resolved secret value. */
export interface RegistryAuth {
  url: string;
  username: string;
  password: string;
}

/** How a Git source is built. `dockerfile` is the Dockerfile's path, for type dockerfile. */
export interface GitBuild {
  type: "dockerfile" | "nixpacks" | "railpack" | "static";
  dockerfile: string | null;
}

/** A named volume or a bind mount. */
export type VolumeSpec =
  | { type: "volume"; name: string; mountPath: string; readOnly: boolean }
  | { type: "bind"; hostPath: string; mountPath: string; readOnly: boolean };

/** A health check with its timings in milliseconds. */
export type HealthcheckSpec =
  | { type: "http"; path: string; port: number; intervalMs: number; timeoutMs: number; retries: number }
  | { type: "command"; command: string[]; intervalMs: number; timeoutMs: number; retries: number };

/**
 * The configuration of one application, compared field by field. In observed state a field a provider cannot
 * read is `undefined` ("unknown"), which plan() never reports as drift.
 */
export interface AppSpec {
  source: AppSource;
  command: string | null;
  env: Record<string, string>;
  buildArgs: Record<string, string>;
  ports: number[];
  replicas: number;
  cpu: number | null;
  memoryBytes: number | null;
  volumes: VolumeSpec[];
  healthcheck: HealthcheckSpec | null;
  state: "running" | "stopped";
}

/**
 * An observed env or build-arg value the server would not show but that stackctl knows differs from what it last
 * wrote (Coolify without read:sensitive). Never a real value, so plans print it (the server's values they never do).
 */
export const HIDDEN_CHANGED = "(hidden by Coolify: differs from the value stackctl last wrote)";

/** The names of the fields of AppSpec, in the order they are applied and printed. */
export const APP_FIELDS = [
  "source",
  "command",
  "env",
  "buildArgs",
  "ports",
  "replicas",
  "cpu",
  "memoryBytes",
  "volumes",
  "healthcheck",
  "state",
] as const satisfies readonly (keyof AppSpec)[];

/** One field of AppSpec. */
export type AppField = (typeof APP_FIELDS)[number];

/** A route to an application. Domains are matched between desired and actual by `host` + `path`. */
export interface DomainSpec {
  host: string;
  path: string;
  port: number;
  https: boolean;
}

/** A stack after validation and secret resolution: the desired side of plan(). */
export interface DesiredStack {
  name: string;
  /** The manifest's file, for errors that point at it. */
  file: string;
  target: string;
  project: string;
  environment: string;
  description: string | null;
  prune: boolean;
  /** `stackctl.dev/adopt: "true"`: take over unmarked objects of the same name. */
  adopt: boolean;
  /** `stackctl.dev/deletion-policy: orphan`: leave resources in place when the stack goes away. */
  orphanOnDelete: boolean;
  /** `stackctl.dev/allow-empty: "true"`: the manifest may declare no applications while the stack owns some. */
  allowEmpty: boolean;
  applications: DesiredApplication[];
}

/** One desired application; `secretEnv` names the env keys (and `secretBuildArgs` the build args) that hold secrets. */
export interface DesiredApplication {
  name: string;
  spec: AppSpec;
  domains: DomainSpec[];
  secretEnv: string[];
  secretBuildArgs: string[];
}

/** What a server has, as read by a provider's observe(). */
export interface ActualState {
  projects: ActualProject[];
}

/** A project on the server. `environments` is complete only when `detailed` is true. */
export interface ActualProject {
  id: string;
  name: string;
  description: string | null;
  owner: OwnerMarker | null;
  detailed: boolean;
  environments: ActualEnvironment[];
}

/** An environment of a project. */
export interface ActualEnvironment {
  id: string;
  name: string;
  isDefault: boolean;
  description: string | null;
  owner: OwnerMarker | null;
  applications: ActualApplication[];
  /**
   * Every other resource in the environment (compose services, databases, Coolify services). stackctl manages none
   * of them, whatever their description says, so each one keeps its environment and project from being removed.
   */
  others: ActualOther[];
}

/** A resource stackctl does not manage; `kind` is a noun for people, e.g. `compose service`, `postgres database`. */
export interface ActualOther {
  kind: string;
  id: string;
  name: string | null;
}

/** An application; `spec` and `domains` are present when it was read in full. */
export interface ActualApplication {
  id: string;
  name: string;
  description: string | null;
  owner: OwnerMarker | null;
  spec?: Partial<AppSpec>;
  domains?: ActualDomain[];
  /**
   * What the platform's ordinary read says about the containers, when read in full (no extra request): `failed` for
   * a last deployment that failed or a service that crashes; plan() redeploys a failed application declared running.
   */
  runtime?: "running" | "starting" | "stopped" | "failed" | "unknown";
}

/** A domain on the server, with the id needed to update or delete it. */
export interface ActualDomain extends DomainSpec {
  id: string;
}
