/**
 * The `mounts.*` procedures (apps/dokploy/server/api/routers/mount.ts). Not in the recordings: shapes follow the
 * v0.30 source (create answers `true`; update and remove answer the row; unknown id → 404 `Mount not found`).
 */
import { z } from "zod";
import { ApiError, notFound } from "../errors.ts";
import { id, input, mutation, optNullable, query } from "../procedure.ts";
import type { Router } from "../procedure.ts";
import type { MountRow } from "../rows.ts";
import type { DokployStore } from "../store.ts";

const SERVICE_TYPES = ["application", "postgres", "mysql", "mariadb", "mongo", "redis", "compose", "libsql"] as const;
const MOUNT_TYPE = z.enum(["bind", "volume", "file"]);

function findMount(store: DokployStore, mountId: string): MountRow {
  const m = store.mount(mountId);
  if (!m) throw notFound("Mount");
  return m;
}

function serviceExists(store: DokployStore, type: string, serviceId: string): boolean {
  if (type === "application") return store.application(serviceId) !== undefined;
  if (type === "compose") return store.composeService(serviceId) !== undefined;
  return false; // the simulator has no databases
}

/** mounts.create / update / remove / one. */
export const mountsRouter: Router = {
  create: mutation(
    input({
      type: MOUNT_TYPE, hostPath: optNullable(), volumeName: optNullable(), content: optNullable(), mountPath: z.string().min(1),
      filePath: optNullable(), serviceType: z.enum(SERVICE_TYPES).default("application"), serviceId: id(),
    }),
    (i, store) => {
      // createMount wraps the FK violation of an unknown service into this 400.
      if (!serviceExists(store, i.serviceType, i.serviceId)) throw new ApiError("BAD_REQUEST", "Error creating the mount");
      const none = { postgresId: null, mariadbId: null, mongoId: null, mysqlId: null, redisId: null, libsqlId: null };
      store.insertMount({
        type: i.type, hostPath: i.hostPath ?? null, volumeName: i.volumeName ?? null, filePath: i.filePath ?? null, content: i.content ?? null,
        serviceType: i.serviceType, mountPath: i.mountPath, ...none,
        applicationId: i.serviceType === "application" ? i.serviceId : null, composeId: i.serviceType === "compose" ? i.serviceId : null,
      });
      return true;
    },
  ),

  update: mutation(
    input({
      mountId: id(), type: MOUNT_TYPE.optional(), hostPath: optNullable(), volumeName: optNullable(), filePath: optNullable(),
      content: optNullable(), serviceType: z.enum(SERVICE_TYPES).optional(), mountPath: z.string().min(1).optional(),
    }),
    (i, store) => {
      const m = findMount(store, i.mountId);
      Object.assign(m, Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined)));
      store.onChange?.();
      return m;
    },
  ),

  remove: mutation(input({ mountId: z.string() }), (i, store) => {
    const m = findMount(store, i.mountId);
    store.deleteMount(m.mountId);
    return m;
  }),

  one: query(input({ mountId: id() }), (i, store) => findMount(store, i.mountId)),
};
