/** The `tag.*` procedures (apps/dokploy/server/api/routers/tag.ts). Tags belong to the organization. */
import { z } from "zod";
import { ApiError, notFound } from "../errors.ts";
import { id, input, mutation, optNullable, query } from "../procedure.ts";
import type { Router } from "../procedure.ts";
import { nanoid } from "../random.ts";
import type { DokployStore } from "../store.ts";

/** The raw unique-violation text the real server puts in the 400 for a duplicate name (recording #65). */
function duplicateMessage(store: DokployStore, name: string, color: string | null | undefined): string {
  const cols = `"tagId", "name", "color", "createdAt", "organizationId"`;
  const values = color === undefined ? "$1, $2, default, $3, $4" : "$1, $2, $3, $4, $5";
  const params = [nanoid(), name, ...(color === undefined ? [] : [color]), store.now(), store.organizationId];
  return `Error creating tag: Failed query: insert into "tag" (${cols}) values (${values}) returning ${cols}\nparams: ${params.join(",")}`;
}

function findTag(store: DokployStore, tagId: string) {
  const t = store.tag(tagId);
  if (!t) throw notFound("Tag");
  return t;
}

/** tag.create / all / one / assignToProject / removeFromProject / remove. */
export const tagRouter: Router = {
  create: mutation(input({ name: z.string().min(1), color: optNullable() }), (i, store) => {
    if (store.tags.some((t) => t.name === i.name)) throw new ApiError("BAD_REQUEST", duplicateMessage(store, i.name, i.color));
    return store.insertTag(i);
  }),

  all: query(input({}), (_i, store) => store.tags),

  one: query(input({ tagId: id() }), (i, store) => findTag(store, i.tagId)),

  // Answers the join row {id, projectId, tagId} (recording #64).
  assignToProject: mutation(input({ projectId: id(), tagId: id() }), (i, store) => {
    if (!store.project(i.projectId)) throw notFound("Project");
    findTag(store, i.tagId);
    if (store.projectTags.some((pt) => pt.projectId === i.projectId && pt.tagId === i.tagId)) {
      throw new ApiError("BAD_REQUEST", "Tag is already assigned to this project");
    }
    return store.insertProjectTag(i.projectId, i.tagId);
  }),

  removeFromProject: mutation(input({ projectId: id(), tagId: id() }), (i, store) => {
    store.projectTags = store.projectTags.filter((pt) => !(pt.projectId === i.projectId && pt.tagId === i.tagId));
    store.onChange?.();
    return { success: true };
  }),

  remove: mutation(input({ tagId: id() }), (i, store) => {
    store.deleteTag(findTag(store, i.tagId).tagId);
    return { success: true };
  }),
};
