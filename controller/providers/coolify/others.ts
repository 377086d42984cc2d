/**
 * The resources of a Coolify environment besides applications: services (one-click and docker-compose) and
 * standalone databases. stackctl manages none of them; observe reports them so that plan() never removes an
 * environment or project that holds one. Two team-wide lists, read beside `GET /applications`, join on the
 * environment's integer id as applications do. An environment's own details (`GET /projects/{uuid}/{environment}`)
 * carry its services and its postgresql, redis, mongodb, mysql and mariadb databases, but not its keydb, dragonfly or
 * clickhouse ones (ProjectController::environment_details loads only those relations): enough for an environment
 * that no plan will remove, not for one that may go.
 */
import { z } from "zod";
import type { ActualOther } from "../../model.ts";
import { read } from "./api.ts";
import type { EnvironmentApplications } from "./rows.ts";
import type { Transport } from "./transport.ts";

const Resource = z.looseObject({ uuid: z.string(), name: z.string().nullish(), environment_id: z.number(), database_type: z.string().nullish() });
const ResourceList = z.array(Resource);

/** Other resources by environment id. */
export type OthersByEnvironment = Map<number, ActualOther[]>;

/** readOthers lists the team's services and databases, grouped by the environment that holds them. */
export async function readOthers(http: Transport): Promise<OthersByEnvironment> {
  const [services, databases] = await Promise.all([read(http, "/services", ResourceList), read(http, "/databases", ResourceList)]);
  const byEnvironment: OthersByEnvironment = new Map();
  const add = (envId: number, other: ActualOther) => byEnvironment.set(envId, [...(byEnvironment.get(envId) ?? []), other]);
  for (const s of services) add(s.environment_id, { kind: "service", id: s.uuid, name: s.name ?? null });
  for (const d of databases) add(d.environment_id, { kind: `${(d.database_type ?? "").replace(/^standalone-/, "") || "other"} database`, id: d.uuid, name: d.name ?? null });
  return byEnvironment;
}

// The database lists of the environment details, and the engine each holds.
const DETAIL_DATABASES = { postgresqls: "postgresql", redis: "redis", mongodbs: "mongodb", mysqls: "mysql", mariadbs: "mariadb" } as const;

/** othersInDetails lists the services and databases an environment's details show (see the file comment for what they omit). */
export function othersInDetails(details: EnvironmentApplications): ActualOther[] {
  const services = details.services.map((s): ActualOther => ({ kind: "service", id: s.uuid, name: s.name ?? null }));
  const databases = Object.entries(DETAIL_DATABASES).flatMap(([list, engine]) =>
    details[list as keyof typeof DETAIL_DATABASES].map((d): ActualOther => ({ kind: `${engine} database`, id: d.uuid, name: d.name ?? null })));
  return [...services, ...databases];
}
