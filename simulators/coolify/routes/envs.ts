/**
 * Application env vars: list, create (auto-creating the preview copy), PATCH by key (resetting omitted flags, as
 * Coolify does), bulk upsert (unknown item keys dropped, not transactional) and delete by uuid.
 */
import { HttpError, notFound, validationError } from "../router.ts";
import type { Route, RouteContext } from "../router.ts";
import { bulkItemKeys } from "../schemas.ts";
import { newUuid } from "../store.ts";
import type { ApplicationRow, CoolifyStore, EnvVarRow } from "../store.ts";
import { envView } from "../views.ts";
import { application } from "./applications.ts";

function find(store: CoolifyStore, app: ApplicationRow, key: unknown, preview: boolean): EnvVarRow | undefined {
  return store.envsOf(app).find((e) => e.key === key && e.is_preview === preview);
}

/** insert creates a variable and, for a production one, its preview copy (EnvironmentVariable::created). */
function insert(store: CoolifyStore, app: ApplicationRow, item: Record<string, unknown>): EnvVarRow {
  const row: EnvVarRow = {
    id: store.nextId(), uuid: newUuid(), application_id: app.id, key: String(item.key), value: (item.value as string | null) ?? null,
    is_preview: item.is_preview === true, is_literal: item.is_literal === true, is_multiline: item.is_multiline === true,
    is_shown_once: item.is_shown_once === true, is_runtime: item.is_runtime !== false, is_buildtime: item.is_buildtime !== false,
    comment: (item.comment as string | null) ?? null,
  };
  store.pushEnv(row);
  if (!row.is_preview) store.pushEnv({ ...row, id: store.nextId(), uuid: newUuid(), is_preview: true });
  return row;
}

/** overwrite applies a PATCH item: value, is_literal, is_multiline and is_shown_once are reset when omitted. */
function overwrite(row: EnvVarRow, item: Record<string, unknown>): void {
  row.value = (item.value as string | null) ?? null;
  row.is_literal = item.is_literal === true;
  row.is_multiline = item.is_multiline === true;
  row.is_shown_once = item.is_shown_once === true;
  if (typeof item.is_runtime === "boolean") row.is_runtime = item.is_runtime;
  if (typeof item.is_buildtime === "boolean") row.is_buildtime = item.is_buildtime;
  if ("comment" in item) row.comment = (item.comment as string | null) ?? null;
}

function requireKey(item: Record<string, unknown>, prefix = ""): void {
  if (typeof item.key !== "string") throw validationError({ [`${prefix}key`]: ["The key field is required."] });
}

function list({ store, params }: RouteContext) {
  const app = application(store, params.uuid);
  const rows = store.envsOf(app).sort((a, b) => Number(a.is_preview) - Number(b.is_preview));
  return { status: 200, body: rows.map((e) => envView(e, store.settings.canReadSensitive)) };
}

/** The routes of this file. */
export const envRoutes: Route[] = [
  { method: "GET", template: "/applications/{uuid}/envs", handler: list },
  {
    method: "POST", template: "/applications/{uuid}/envs", handler: ({ store, params, body }) => {
      const app = application(store, params.uuid);
      requireKey(body);
      if (find(store, app, body.key, body.is_preview === true)) throw new HttpError(409, { message: `Environment variable ${String(body.key)} already exists. Use PATCH request to update it.` });
      return { status: 201, body: { uuid: insert(store, app, body).uuid } };
    },
  },
  {
    method: "PATCH", template: "/applications/{uuid}/envs", handler: ({ store, params, body }) => {
      const app = application(store, params.uuid);
      const row = find(store, app, body.key, body.is_preview === true);
      if (!row) throw notFound("Environment variable not found.");
      overwrite(row, body);
      return { status: 201, body: envView(row, store.settings.canReadSensitive) };
    },
  },
  {
    method: "PATCH", template: "/applications/{uuid}/envs/bulk", handler: ({ store, params, body }) => {
      const app = application(store, params.uuid);
      const keep = bulkItemKeys();
      const out: Record<string, unknown>[] = [];
      const data = Array.isArray(body.data) ? (body.data as Record<string, unknown>[]) : [];
      data.forEach((raw, i) => {
        const item = Object.fromEntries(Object.entries(raw ?? {}).filter(([k]) => keep.has(k)));
        requireKey(item, `data.${i}.`); // items before this one stay applied
        const row = find(store, app, item.key, item.is_preview === true);
        if (row) overwrite(row, item);
        out.push(envView(row ?? insert(store, app, item), store.settings.canReadSensitive));
      });
      return { status: 201, body: out };
    },
  },
  {
    method: "DELETE", template: "/applications/{uuid}/envs/{env_uuid}", handler: ({ store, params }) => {
      const app = application(store, params.uuid);
      const row = store.envsOf(app).find((e) => e.uuid === params.env_uuid);
      if (!row) throw notFound("Environment variable not found.");
      store.removeEnv(row);
      return { status: 200, body: { message: "Environment variable deleted." } };
    },
  },
];
