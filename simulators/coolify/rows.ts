/**
 * The rows of the Coolify simulator's tables (Coolify's models, as the API serialises them, plus the simulator's
 * bookkeeping), the application columns' defaults and Coolify-style uuids.
 */
import { randomBytes } from "node:crypto";

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
