/** The `domain.*` procedures (apps/dokploy/server/api/routers/domain.ts, db/validations/domain.ts). */
import { z } from "zod";
import { ApiError, notFound } from "../errors.ts";
import { id, input, mutation, optBool, optNullable, query } from "../procedure.ts";
import type { Router } from "../procedure.ts";
import type { DomainRow } from "../rows.ts";
import type { DokployStore } from "../store.ts";
import { domainView } from "../views.ts";

const HOST_MESSAGE = "Invalid domain name. Use only letters, numbers, hyphens and dots (e.g. example.com). Underscores are not allowed.";
const HOST_RE = /^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

/** Columns settable by both create and update. */
const COMMON = {
  host: z.string().trim().min(1).refine((h) => HOST_RE.test(h), HOST_MESSAGE),
  path: z.string().min(1).nullable().optional(),
  port: z.coerce.number().min(1, "Port must be 1 or above").max(65535, "Port must be 65535 or below").nullable().optional(),
  customEntrypoint: optNullable(), https: optBool(), certificateType: z.enum(["letsencrypt", "none", "custom"]).optional(),
  customCertResolver: optNullable(), serviceName: optNullable(), domainType: z.enum(["compose", "application", "preview"]).nullable().optional(),
  internalPath: optNullable(), stripPath: optBool(), middlewares: z.array(z.string()).nullable().optional(), forwardAuthEnabled: optBool(),
};

const COLUMNS = [
  "domainId", "host", "https", "port", "customEntrypoint", "path", "serviceName", "domainType", "uniqueConfigKey", "createdAt", "composeId",
  "customCertResolver", "applicationId", "previewDeploymentId", "certificateType", "internalPath", "stripPath", "middlewares", "forwardAuthEnabled", "enabled",
];

/** The raw drizzle error of an insert that violates the service FK, as the real server reports it (recording #106). */
function failedInsert(values: Record<string, unknown>): string {
  const params: unknown[] = [];
  const slots = COLUMNS.map((c) => (values[c] === undefined ? "default" : `$${params.push(values[c])}`));
  const cols = COLUMNS.map((c) => `"${c}"`).join(", ");
  return `Failed query: insert into "domain" (${cols}) values (${slots.join(", ")}) returning ${cols}\nparams: ${params.join(",")}`;
}

function findDomain(store: DokployStore, domainId: string): DomainRow {
  const d = store.domain(domainId);
  if (!d) throw notFound("Domain");
  return d;
}

function create(store: DokployStore, i: Partial<DomainRow> & { host: string }): DomainRow {
  const orphanApp = i.applicationId && !store.application(i.applicationId);
  const orphanCompose = i.composeId && !store.composeService(i.composeId);
  if (orphanApp || orphanCompose) {
    throw new Error(failedInsert({ domainId: "<id>", ...i, uniqueConfigKey: undefined, createdAt: store.now() }));
  }
  return store.insertDomain(i);
}

/** domain.create / update / delete / one / byApplicationId. No uniqueness on host. */
export const domainRouter: Router = {
  // Every failure of create is rewrapped as a 400 carrying the original message.
  create: mutation(
    input({ ...COMMON, applicationId: optNullable(), composeId: optNullable(), previewDeploymentId: optNullable() }),
    (i, store) => {
      try {
        return create(store, i as Partial<DomainRow> & { host: string });
      } catch (err) {
        throw new ApiError("BAD_REQUEST", (err as Error).message);
      }
    },
  ),

  // `host` is required even when unchanged (recording #51); `enabled` is accepted although openapi.json lacks it.
  update: mutation(input({ ...COMMON, domainId: z.string(), enabled: optBool() }), (i, store) => {
    const d = findDomain(store, i.domainId);
    Object.assign(d, Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined)));
    store.onChange?.();
    return d;
  }),

  delete: mutation(input({ domainId: z.string() }), (i, store) => {
    const d = findDomain(store, i.domainId);
    store.deleteDomain(d.domainId);
    return d;
  }),

  one: query(input({ domainId: id() }), (i, store) => domainView(store, findDomain(store, i.domainId))),

  byApplicationId: query(input({ applicationId: id() }), (i, store) =>
    store.domainsOf(i.applicationId).filter((d) => d.applicationId === i.applicationId).map((d) => domainView(store, d)),
  ),
};
