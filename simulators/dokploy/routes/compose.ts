/**
 * The `compose.*` procedures the recordings exercise (apps/dokploy/server/api/routers/compose.ts): create, one,
 * update, saveEnvironment, deploy, redeploy and delete.
 */
import { z } from "zod";
import { notFound } from "../errors.ts";
import { id, input, mutation, optBool, optNullable, query, reqBool } from "../procedure.ts";
import type { Router } from "../procedure.ts";
import type { ComposeRow } from "../rows.ts";
import type { DokployStore } from "../store.ts";
import { composeFullView, composeOneView } from "../views.ts";

const APP_NAME = z.string().min(1).max(63).regex(/^[a-zA-Z0-9._-]+$/, "App name can only contain letters, numbers, dots, underscores and hyphens");
const SOURCE_TYPES = ["git", "github", "gitlab", "bitbucket", "gitea", "raw"] as const;
const COMPOSE_TYPES = ["docker-compose", "stack"] as const;

function findCompose(store: DokployStore, composeId: string): ComposeRow {
  const c = store.composeService(composeId);
  if (!c) throw notFound("Compose");
  return c;
}

function setColumns(store: DokployStore, c: ComposeRow, values: Record<string, unknown>): void {
  Object.assign(c, Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)));
  store.onChange?.();
}

const deployInput = input({ composeId: id(), title: z.string().optional(), description: z.string().optional() });

function deploy(store: DokployStore, i: z.output<typeof deployInput>, defaultTitle: string) {
  store.startDeployment(findCompose(store, i.composeId), i.title ?? defaultTitle, i.description ?? "");
  return { success: true, message: "Deployment queued", composeId: i.composeId };
}

/** compose.create / one / update / saveEnvironment / deploy / redeploy / delete. */
export const composeRouter: Router = {
  // sourceType defaults to github: pass "raw" for an inline compose file (recording #66).
  create: mutation(
    input({
      name: z.string().min(1), description: optNullable(), environmentId: z.string(), composeType: z.enum(COMPOSE_TYPES).optional(),
      appName: APP_NAME.optional(), serverId: optNullable(), composeFile: z.string().optional(), sourceType: z.enum(SOURCE_TYPES).optional(),
    }),
    (i, store) => {
      if (!store.environment(i.environmentId)) throw notFound("Environment");
      const extra = Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined));
      return store.insertCompose({ ...extra, name: i.name, environmentId: i.environmentId });
    },
  ),

  one: query(input({ composeId: id() }), (i, store) => composeOneView(store, findCompose(store, i.composeId))),

  update: mutation(
    input({
      composeId: z.string(), name: z.string().min(1).optional(), description: optNullable(), env: optNullable(),
      composeFile: z.string().optional(), sourceType: z.enum(SOURCE_TYPES).optional(), composeType: z.enum(COMPOSE_TYPES).optional(),
      composePath: z.string().min(1).optional(), command: z.string().optional(), autoDeploy: z.coerce.boolean().nullable().optional(),
      customGitUrl: optNullable(), customGitBranch: optNullable(), watchPaths: z.array(z.string()).nullable().optional(),
      randomize: optBool(), suffix: z.string().optional(), isolatedDeployment: optBool(),
    }),
    (i, store) => {
      const c = findCompose(store, i.composeId);
      setColumns(store, c, { ...i, composeId: undefined });
      return c;
    },
  ),

  saveEnvironment: mutation(input({ composeId: z.string(), env: optNullable().nonoptional(), createEnvFile: optBool() }), (i, store) => {
    setColumns(store, findCompose(store, i.composeId), { env: i.env, createEnvFile: i.createEnvFile });
    return true;
  }),

  // Unlike application.deploy, these answer a small JSON object (recording #77).
  deploy: mutation(deployInput, (i, store) => deploy(store, i, "Manual deployment")),
  redeploy: mutation(deployInput, (i, store) => deploy(store, i, "Rebuild deployment")),

  // deleteVolumes is "required" but coerced: omitted means false and the delete goes ahead (recording #73).
  delete: mutation(input({ composeId: id(), deleteVolumes: reqBool() }), (i, store) => {
    const c = findCompose(store, i.composeId);
    const before = composeFullView(store, c);
    store.deleteCompose(c.composeId);
    return before;
  }),
};
