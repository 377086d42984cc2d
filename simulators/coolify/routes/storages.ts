/**
 * Application storages (ApplicationsController, Coolify v4.3): `GET|POST|PATCH /applications/{uuid}/storages` and
 * `DELETE /applications/{uuid}/storages/{storage_uuid}`, bodies checked against the OpenAPI document by the router,
 * with the code's behaviour the document does not state (shared notes, coolify-storages-deployments.md §1):
 * - POST persistent stores `name` as `{app uuid}-{name}`; PATCH stores `name` as sent, without the prefix;
 * - a duplicate (name per application for volumes, mount path per application for files) is a database error: 500;
 * - DELETE of a persistent storage leaves its Docker volume on the server;
 * - nothing here redeploys: the container mounts the new storages at the next deployment (store.deployStorages).
 */
import { HttpError, notFound, validationError } from "../router.ts";
import type { Route, RouteContext, RouteResult } from "../router.ts";
import { newUuid } from "../store.ts";
import type { ApplicationRow, CoolifyStore, StorageRow } from "../store.ts";

// ValidationPatterns: volume names (:81) and persistent host paths (:30).
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const HOST_PATH = /^\/([a-zA-Z0-9._\-\/~@+]*)?$/;
const FILE_ONLY = ["content", "is_directory", "fs_path"];
const PERSISTENT_ONLY = ["name", "host_path"];

/** The storage routes' application lookup: its 404 has no final period (AC:4554-4558). */
function app(store: CoolifyStore, uuid: string | undefined): ApplicationRow {
  const found = store.application(uuid);
  if (!found) throw notFound("Application not found");
  return found;
}

/** The LocalPersistentVolume / LocalFileVolume setters: trimmed, with a leading '/'. */
function normalizePath(path: string): string {
  const trimmed = path.trim();
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

/** A storage as the API returns it (`content` is $hidden without read:sensitive). */
function view(st: StorageRow, owner: ApplicationRow, sensitive: boolean): Record<string, unknown> {
  const common = { id: st.id, uuid: st.uuid, mount_path: st.mount_path, resource_type: "App\\Models\\Application", resource_id: owner.id, is_preview_suffix_enabled: st.is_preview_suffix_enabled };
  if (st.type === "persistent") return { ...common, name: st.name, host_path: st.host_path, container_id: null };
  return { ...common, fs_path: st.fs_path, is_directory: st.is_directory, is_host_file: false, is_based_on_git: false, chown: null, chmod: null, ...(sensitive ? { content: st.content } : {}) };
}

/** The unique indexes: (name, resource) for persistent storages, (mount_path, resource) for files. */
function checkUnique(store: CoolifyStore, owner: ApplicationRow, row: Pick<StorageRow, "type" | "name" | "mount_path">, except?: StorageRow): void {
  const clash = store.storagesOf(owner).find((st) => st !== except && st.type === row.type
    && (row.type === "persistent" ? st.name === row.name : st.mount_path === row.mount_path));
  if (clash) {
    const key = row.type === "persistent" ? `(name, resource_id, resource_type)=(${row.name}, ${owner.id}, App\\Models\\Application)` : `(mount_path, resource_id, resource_type)=(${row.mount_path}, ${owner.id}, App\\Models\\Application)`;
    throw new HttpError(500, { message: `SQLSTATE[23505]: Unique violation: 7 ERROR: duplicate key value violates unique constraint. DETAIL: Key ${key} already exists.` });
  }
}

function wrongFields(body: Record<string, unknown>, type: string): void {
  const bad = (type === "persistent" ? FILE_ONLY : PERSISTENT_ONLY).filter((k) => body[k] !== undefined && body[k] !== null);
  if (bad.length > 0) throw validationError(Object.fromEntries(bad.map((k) => [k, [`Field '${k}' is not valid for type '${type}'.`]])));
}

function checkFormats(body: Record<string, unknown>): void {
  const errors: Record<string, string[]> = {};
  if (typeof body.name === "string" && !VOLUME_NAME.test(body.name)) errors.name = ["The name field format is invalid."];
  if (typeof body.host_path === "string" && !HOST_PATH.test(body.host_path)) errors.host_path = ["The host path field format is invalid."];
  if (Object.keys(errors).length > 0) throw validationError(errors);
}

function list({ store, params }: RouteContext): RouteResult {
  const owner = app(store, params.uuid);
  const mine = store.storagesOf(owner).sort((a, b) => a.id - b.id);
  const views = (type: StorageRow["type"]) => mine.filter((st) => st.type === type).map((st) => view(st, owner, store.settings.canReadSensitive));
  return { status: 200, body: { persistent_storages: views("persistent"), file_storages: views("file") } };
}

function create({ store, params, body }: RouteContext): RouteResult {
  const owner = app(store, params.uuid);
  const type = body.type as StorageRow["type"];
  wrongFields(body, type);
  checkFormats(body);
  const base = { id: store.nextId(), uuid: newUuid(), type, application_id: owner.id, mount_path: normalizePath(String(body.mount_path)), is_preview_suffix_enabled: true };
  let row: StorageRow;
  if (type === "persistent") {
    // A string, not a list (AC:4880-4886).
    if (typeof body.name !== "string") throw validationError({ name: "The name field is required for persistent storages." });
    const hostPath = typeof body.host_path === "string" ? normalizePath(body.host_path) : null;
    row = { ...base, name: `${owner.uuid}-${body.name}`, host_path: hostPath, fs_path: null, content: null, is_directory: false };
  } else {
    const directory = body.is_directory === true;
    if (directory && typeof body.fs_path !== "string") throw validationError({ fs_path: "The fs_path field is required for directory mounts." });
    const fsPath = directory ? String(body.fs_path) : `/data/coolify/applications/${owner.uuid}${base.mount_path}`;
    row = { ...base, name: null, host_path: null, fs_path: fsPath, content: (body.content as string | null) ?? null, is_directory: directory };
  }
  checkUnique(store, owner, row);
  store.pushStorage(row);
  return { status: 201, body: view(row, owner, store.settings.canReadSensitive) };
}

function update({ store, params, body }: RouteContext): RouteResult {
  const owner = app(store, params.uuid);
  const type = body.type as StorageRow["type"];
  if (body.uuid == null && body.id == null) throw validationError({ uuid: "Either uuid or id is required." });
  const row = store.storagesOf(owner).find((st) => st.type === type && (body.uuid != null ? st.uuid === body.uuid : st.id === body.id));
  if (!row) throw notFound("Storage not found.");
  wrongFields(body, type);
  checkFormats(body);
  // The trap: PATCH stores `name` as sent (AC:4750), renaming the Docker volume to a new, empty, host-global one.
  const next = {
    ...row,
    ...(typeof body.name === "string" ? { name: body.name } : {}),
    ...(typeof body.mount_path === "string" ? { mount_path: normalizePath(body.mount_path) } : {}),
    ...("host_path" in body && type === "persistent" ? { host_path: typeof body.host_path === "string" ? normalizePath(body.host_path) : null } : {}),
    ...("content" in body && type === "file" ? { content: (body.content as string | null) ?? null } : {}),
    ...(typeof body.is_preview_suffix_enabled === "boolean" ? { is_preview_suffix_enabled: body.is_preview_suffix_enabled } : {}),
  };
  checkUnique(store, owner, next, row);
  Object.assign(row, next);
  return { status: 200, body: view(row, owner, store.settings.canReadSensitive) };
}

function remove({ store, params }: RouteContext): RouteResult {
  const owner = store.application(params.uuid);
  if (!owner) throw notFound("Application not found.");
  // No body and no type: persistent first, then file (AC:5065-5070).
  const mine = store.storagesOf(owner);
  const row = mine.find((st) => st.uuid === params.storage_uuid && st.type === "persistent") ?? mine.find((st) => st.uuid === params.storage_uuid);
  if (!row) throw notFound("Storage not found.");
  // Only the database row goes; a persistent storage's Docker volume stays on the host (no model hook).
  store.removeStorage(row);
  return { status: 200, body: { message: "Storage deleted." } };
}

/** The routes of this file. */
export const storageRoutes: Route[] = [
  { method: "GET", template: "/applications/{uuid}/storages", handler: list },
  { method: "POST", template: "/applications/{uuid}/storages", handler: create },
  { method: "PATCH", template: "/applications/{uuid}/storages", handler: update },
  { method: "DELETE", template: "/applications/{uuid}/storages/{storage_uuid}", handler: remove },
];
