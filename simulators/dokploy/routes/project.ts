/** The `project.*` procedures (apps/dokploy/server/api/routers/project.ts). */
import { z } from "zod";
import { ApiError, notFound } from "../errors.ts";
import { id, input, mutation, optNullable, query } from "../procedure.ts";
import type { Router } from "../procedure.ts";
import type { DokployStore } from "../store.ts";
import { projectAllView, projectOneView } from "../views.ts";

function findProject(store: DokployStore, projectId: string) {
  const p = store.project(projectId);
  if (!p) throw notFound("Project");
  return p;
}

/** project.all / one / create / update / remove. */
export const projectRouter: Router = {
  all: query(input({}), (_in, store) => projectAllView(store)),

  one: query(input({ projectId: id() }), (i, store) => projectOneView(store, findProject(store, i.projectId))),

  // Names are not unique; the default `production` environment comes with the project.
  create: mutation(input({ name: z.string().min(1), description: optNullable(), env: z.string().optional() }), (i, store) =>
    store.insertProject(i),
  ),

  update: mutation(
    input({
      projectId: id(), name: z.string().min(1).optional(), description: optNullable(), env: z.string().optional(),
      createdAt: z.string().optional(), organizationId: z.string().optional(),
    }),
    (i, store) => {
      const p = findProject(store, i.projectId);
      if (i.organizationId !== undefined && i.organizationId !== store.organizationId) {
        // What the real server answers: the raw FK violation as a 500.
        throw new ApiError("INTERNAL_SERVER_ERROR", 'insert or update on table "project" violates foreign key constraint "project_organizationId_organization_id_fk"');
      }
      const { projectId: _id, ...patch } = i;
      Object.assign(p, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      store.onChange?.();
      return p;
    },
  ),

  // Only `DELETE FROM project`: the DB cascade removes environments, services and domains; Docker is left alone.
  remove: mutation(input({ projectId: id() }), (i, store) => {
    const p = findProject(store, i.projectId);
    store.deleteProject(p.projectId);
    return p;
  }),
};
