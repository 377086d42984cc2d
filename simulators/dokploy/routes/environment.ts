/** The `environment.*` procedures (apps/dokploy/server/api/routers/environment.ts). */
import { z } from "zod";
import { ApiError, notFound } from "../errors.ts";
import { id, input, mutation, query } from "../procedure.ts";
import type { Router } from "../procedure.ts";
import type { DokployStore } from "../store.ts";
import { environmentByProjectView, environmentOneView } from "../views.ts";

function findEnvironment(store: DokployStore, environmentId: string) {
  const e = store.environment(environmentId);
  if (!e) throw notFound("Environment");
  return e;
}

function update(store: DokployStore, i: { environmentId: string; name?: string | undefined; description?: string | undefined; projectId?: string | undefined; env?: string | undefined }) {
  const e = findEnvironment(store, i.environmentId);
  if (e.isDefault && i.name !== undefined && i.name !== e.name) throw new Error("You cannot rename the default environment");
  const { environmentId: _id, ...patch } = i;
  Object.assign(e, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
  store.onChange?.();
  return e;
}

/** environment.create / one / byProjectId / update / remove. */
export const environmentRouter: Router = {
  create: mutation(input({ name: z.string().min(1), description: z.string().optional(), projectId: id() }), (i, store) => {
    if (i.name === "production") throw new ApiError("BAD_REQUEST", "You cannot create a environment with the name 'production'");
    if (!store.project(i.projectId)) throw notFound("Project");
    return store.insertEnvironment(i);
  }),

  one: query(input({ environmentId: id() }), (i, store) => environmentOneView(store, findEnvironment(store, i.environmentId))),

  byProjectId: query(input({ projectId: id() }), (i, store) =>
    store.environmentsOf(i.projectId).map((e) => environmentByProjectView(store, e)),
  ),

  // The router wraps every failure of the update as a 400 with a prefix (recording #15).
  update: mutation(
    input({ environmentId: id(), name: z.string().min(1).optional(), description: z.string().optional(), projectId: z.string().optional(), env: z.string().optional() }),
    (i, store) => {
      try {
        return update(store, i);
      } catch (err) {
        throw new ApiError("BAD_REQUEST", `Error updating the environment: ${(err as Error).message}`);
      }
    },
  ),

  remove: mutation(input({ environmentId: id() }), (i, store) => {
    const e = findEnvironment(store, i.environmentId);
    if (e.isDefault) throw new ApiError("BAD_REQUEST", "You cannot delete the default environment");
    if (store.applicationsIn(e.environmentId).length > 0 || store.composeIn(e.environmentId).length > 0 || store.databasesIn(e.environmentId).length > 0) {
      throw new ApiError("BAD_REQUEST", "Cannot delete environment: it has active services. Delete all services first.");
    }
    store.deleteEnvironment(e.environmentId);
    return e;
  }),
};
