/**
 * An application's volumes as Coolify storages (`/applications/{uuid}/storages`, v4.0.0-beta.470+): a named volume
 * is a persistent storage, whose Docker volume Coolify names `{app uuid}-{name}`; a bind mount is a persistent
 * storage with a `host_path`. File storages are not volumes of the neutral model and are left alone.
 *
 * The traps (shared notes, coolify-storages-deployments.md §1), and what this file does about them:
 * - PATCH stores `name` as sent, without the uuid prefix (a new, empty, host-global volume): `name` is never
 *   PATCHed; a storage is PATCHed only for its mount path (volume) or host path (bind), else replaced.
 * - A duplicate name is a 500, not a 409: names are chosen here so that none is sent twice (bind names avoid every
 *   name in use), and capabilities.ts refuses a volume name used twice in one application.
 * - Deleting a storage leaves its Docker volume on the server, so replacing a storage by one of the same name
 *   finds the same data; the volume goes only with the application.
 * - Storage changes reach the container at the next deployment: plan() deploys after any volume change.
 */
import { z } from "zod";
import type { VolumeSpec } from "../../model.ts";
import { read, write } from "./api.ts";
import type { Transport } from "./transport.ts";

/** One persistent storage of `GET /applications/{uuid}/storages`. */
export const PersistentStorage = z.looseObject({ uuid: z.string(), name: z.string().nullish(), mount_path: z.string(), host_path: z.string().nullish() });
export type PersistentStorage = z.infer<typeof PersistentStorage>;

/** `GET /applications/{uuid}/storages`. */
export const StorageList = z.looseObject({ persistent_storages: z.array(PersistentStorage).default([]) });

/** volumeOf reads a persistent storage as a volume: the name without the `{app uuid}-` prefix, or a bind. */
export function volumeOf(appUuid: string, st: PersistentStorage): VolumeSpec {
  if (st.host_path) return { type: "bind", hostPath: st.host_path, mountPath: st.mount_path, readOnly: false };
  const name = st.name ?? "";
  // A storage renamed by a raw PATCH has no prefix: its Docker volume is `name` itself, shown as it is.
  return { type: "volume", name: name.startsWith(`${appUuid}-`) ? name.slice(appUuid.length + 1) : name, mountPath: st.mount_path, readOnly: false };
}

/** readStorages lists an application's persistent storages. */
export async function readStorages(http: Transport, appUuid: string): Promise<PersistentStorage[]> {
  return (await read(http, `/applications/${appUuid}/storages`, StorageList)).persistent_storages;
}

/** readVolumes reads an application's volumes (one request). */
export async function readVolumes(http: Transport, appUuid: string): Promise<VolumeSpec[]> {
  return (await readStorages(http, appUuid)).map((st) => volumeOf(appUuid, st));
}

/** One storage call. */
export type StorageOp =
  | { op: "delete"; uuid: string }
  | { op: "patch"; body: { type: "persistent"; uuid: string; mount_path?: string; host_path?: string } }
  | { op: "create"; body: { type: "persistent"; name: string; mount_path: string; host_path?: string } };

const same = (a: VolumeSpec, b: VolumeSpec) => JSON.stringify({ ...a, readOnly: false }) === JSON.stringify({ ...b, readOnly: false });

/**
 * storageOps is the calls that turn `current` into `desired`, pure: deletes first (freeing names), then PATCHes of
 * a volume's mount path or a bind's host path, then creates. Storages already as desired are left alone.
 */
export function storageOps(appUuid: string, current: readonly PersistentStorage[], desired: readonly VolumeSpec[]): StorageOp[] {
  const left = [...current];
  const take = (pred: (st: PersistentStorage) => boolean) => {
    const i = left.findIndex(pred);
    return i === -1 ? undefined : left.splice(i, 1)[0];
  };
  const volumeNames = new Set(desired.flatMap((v) => (v.type === "volume" ? [`${appUuid}-${v.name}`] : [])));
  const todo: VolumeSpec[] = [];
  // A bind whose generated name a desired volume needs is replaced, so that the volume's create cannot clash.
  for (const v of desired) if (!take((st) => same(volumeOf(appUuid, st), v) && (v.type === "volume" || !volumeNames.has(st.name ?? "")))) todo.push(v);
  const patches: StorageOp[] = [];
  const creates: VolumeSpec[] = [];
  for (const v of todo) {
    const st = v.type === "volume"
      ? take((s) => { const seen = volumeOf(appUuid, s); return seen.type === "volume" && seen.name === v.name; })
      : take((s) => !!s.host_path && s.mount_path === v.mountPath && !volumeNames.has(s.name ?? ""));
    if (!st) creates.push(v);
    else if (v.type === "volume") patches.push({ op: "patch", body: { type: "persistent", uuid: st.uuid, mount_path: v.mountPath } });
    else patches.push({ op: "patch", body: { type: "persistent", uuid: st.uuid, host_path: v.hostPath } });
  }
  const deletes: StorageOp[] = left.map((st) => ({ op: "delete", uuid: st.uuid }));
  const kept = new Set(current.filter((st) => !left.includes(st)).map((st) => st.name ?? ""));
  const taken = new Set([...kept, ...volumeNames]);
  const created: StorageOp[] = creates.map((v) => ({
    op: "create",
    body: v.type === "volume"
      ? { type: "persistent", name: v.name, mount_path: v.mountPath }
      : { type: "persistent", name: bindName(appUuid, v.mountPath, taken), mount_path: v.mountPath, host_path: v.hostPath },
  }));
  return [...deletes, ...patches, ...created];
}

/** A name for a bind mount's storage (Coolify requires one): `bind-` and the mount path, unique in the application. */
function bindName(appUuid: string, mountPath: string, taken: Set<string>): string {
  const base = `bind-${mountPath.replace(/[^a-zA-Z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "root"}`;
  let name = base;
  for (let n = 2; taken.has(`${appUuid}-${name}`); n++) name = `${base}-${n}`;
  taken.add(`${appUuid}-${name}`);
  return name;
}

/**
 * writeVolumes makes the application's storages match `volumes`: reads them (unless `current` is given, e.g. []
 * for an application just created), then sends the calls of storageOps one by one.
 */
export async function writeVolumes(http: Transport, appUuid: string, volumes: readonly VolumeSpec[], current?: readonly PersistentStorage[]): Promise<void> {
  const ops = storageOps(appUuid, current ?? (await readStorages(http, appUuid)), volumes);
  for (const op of ops) {
    const path = `/applications/${appUuid}/storages`;
    if (op.op === "delete") await write(http, "DELETE", `${path}/${op.uuid}`, "delete");
    else if (op.op === "patch") await write(http, "PATCH", path, "update", op.body);
    else await write(http, "POST", path, "create", op.body);
  }
}
