/**
 * The parts of Coolify v4.3 answers that stackctl reads, as zod schemas. Unknown keys pass through; a missing or
 * mistyped key stackctl relies on becomes an `http.bad-response` error naming the call (see parseRow in controller/http/response.ts).
 */
import { z } from "zod";

const str = z.string();
const nstr = z.string().nullish();
const nnum = z.number().nullish();
const nbool = z.boolean().nullish();

/** One entry of `GET /projects` (no environments: coollabsio/coolify#7702). */
export const ProjectSummary = z.looseObject({ uuid: str, name: str, description: nstr });
export type ProjectSummary = z.infer<typeof ProjectSummary>;

/** `GET /projects`. */
export const ProjectList = z.array(ProjectSummary);

/** An environment inside `GET /projects/{uuid}`; applications join on its integer `id`. */
export const EnvironmentRow = z.looseObject({ id: z.number(), uuid: str, name: str, description: nstr });
export type EnvironmentRow = z.infer<typeof EnvironmentRow>;

/** `GET /projects/{uuid}`. */
export const ProjectDetail = z.looseObject({ uuid: str, name: str, description: nstr, environments: z.array(EnvironmentRow).default([]) });
export type ProjectDetail = z.infer<typeof ProjectDetail>;

/** One application of `GET /applications` (the full model minus `id`; hidden fields absent without read:sensitive). */
export const ApplicationRow = z.looseObject({
  uuid: str,
  name: str,
  description: nstr,
  environment_id: z.number(),
  fqdn: nstr,
  git_repository: nstr,
  git_branch: nstr,
  base_directory: nstr,
  build_pack: nstr,
  dockerfile: nstr,
  dockerfile_location: nstr,
  docker_registry_image_name: nstr,
  docker_registry_image_tag: nstr,
  ports_exposes: nstr,
  start_command: nstr,
  limits_cpus: nstr,
  limits_memory: nstr,
  health_check_enabled: nbool,
  health_check_path: nstr,
  health_check_port: nstr,
  health_check_scheme: nstr,
  health_check_interval: nnum,
  health_check_timeout: nnum,
  health_check_retries: nnum,
  status: nstr,
});
export type ApplicationRow = z.infer<typeof ApplicationRow>;

/** `GET /applications`. */
export const ApplicationList = z.array(ApplicationRow);

const Held = z.array(z.looseObject({ uuid: str, name: nstr })).default([]);

/**
 * `GET /projects/{uuid}/{environment}`: the environment with its applications (full objects, as in the list), its
 * services and the databases of the engines Coolify loads there (not keydb, dragonfly or clickhouse: see others.ts).
 */
export const EnvironmentApplications = z.looseObject({
  applications: z.array(ApplicationRow).default([]),
  services: Held,
  postgresqls: Held,
  redis: Held,
  mongodbs: Held,
  mysqls: Held,
  mariadbs: Held,
});
export type EnvironmentApplications = z.infer<typeof EnvironmentApplications>;

/** One entry of `GET /applications/{uuid}/envs`; `value` is absent when the token cannot read sensitive data. */
export const EnvRow = z.looseObject({
  uuid: str,
  key: str,
  value: nstr,
  is_preview: nbool,
  is_literal: nbool,
  is_multiline: nbool,
  is_shown_once: nbool,
  is_runtime: nbool,
  is_buildtime: nbool,
  comment: nstr,
});
export type EnvRow = z.infer<typeof EnvRow>;

/** `GET /applications/{uuid}/envs`. */
export const EnvList = z.array(EnvRow);

/** `GET /servers` and `GET /servers/{uuid}/destinations` entries. */
export const NamedRow = z.looseObject({ uuid: str, name: str });
export const NamedList = z.array(NamedRow);

/** The `201 {uuid}` of every create. */
export const Created = z.looseObject({ uuid: str });
