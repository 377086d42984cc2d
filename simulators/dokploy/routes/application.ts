/** The `application.*` procedures (apps/dokploy/server/api/routers/application.ts). */
import { ApiError, notFound } from "../errors.ts";
import { input, mutation, query } from "../procedure.ts";
import type { Router } from "../procedure.ts";
import { z } from "zod";
import type { ApplicationRow } from "../rows.ts";
import type { DokployStore } from "../store.ts";
import { applicationFullView, applicationOneView } from "../views.ts";
import {
  byIdInput, createInput, deployInput, saveBuildTypeInput, saveDockerProviderInput, saveEnvironmentInput, saveGitProviderInput, updateInput,
} from "./application-input.ts";

function findApplication(store: DokployStore, applicationId: string): ApplicationRow {
  const a = store.application(applicationId);
  if (!a) throw notFound("Application");
  return a;
}

/** Drops undefined values, as drizzle's `set` does. */
function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** The save* procedures: look the app up (404), set columns, answer `true`. */
function save(store: DokployStore, applicationId: string, values: Record<string, unknown>): true {
  const app = findApplication(store, applicationId);
  Object.assign(app, defined(values));
  store.onChange?.();
  return true;
}

function dockerScaleError(appName: string): ApiError {
  return new ApiError(
    "INTERNAL_SERVER_ERROR",
    `Command execution failed: Command failed: docker service scale ${appName}=1 \n${appName}: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n`,
  );
}

/** application.create / one / update / save* / deploy / redeploy / start / stop / delete. */
export const applicationRouter: Router = {
  create: mutation(createInput, (i, store) => {
    if (!store.environment(i.environmentId)) throw notFound("Environment");
    return store.insertApplication({ ...i, ...(i.description === undefined ? {} : { description: i.description }) });
  }),

  one: query(input({ applicationId: z.string() }), (i, store) => applicationOneView(store, findApplication(store, i.applicationId))),

  // The service strips appName, so a body with nothing else fails in the SQL builder (500 "No values to set");
  // it does not look the app up first, so an unknown id is a 400 (recordings #34, #107, #108).
  update: mutation(updateInput, (i, store) => {
    const { applicationId, appName: _ignored, ...rest } = i as Record<string, unknown> & { applicationId: string };
    const values = defined(rest);
    if (Object.keys(values).length === 0) throw new ApiError("INTERNAL_SERVER_ERROR", "No values to set");
    const app = store.application(applicationId);
    if (!app) throw new ApiError("BAD_REQUEST", "Error updating application");
    Object.assign(app, values);
    store.onChange?.();
    return true;
  }),

  saveEnvironment: mutation(saveEnvironmentInput, (i, store) => save(store, i.applicationId, { ...i, applicationId: undefined })),

  saveDockerProvider: mutation(saveDockerProviderInput, (i, store) =>
    save(store, i.applicationId, { ...i, applicationId: undefined, sourceType: "docker", applicationStatus: "idle" }),
  ),

  saveGitProvider: mutation(saveGitProviderInput, (i, store) =>
    save(store, i.applicationId, { ...i, applicationId: undefined, sourceType: "git", applicationStatus: "idle" }),
  ),

  saveBuildType: mutation(saveBuildTypeInput, (i, store) => save(store, i.applicationId, { ...i, applicationId: undefined })),

  // Both answer 200 with an empty body; the outcome shows later in application.one.
  deploy: mutation(deployInput, (i, store) => {
    store.startDeployment(findApplication(store, i.applicationId), i.title ?? "Manual deployment", i.description ?? "");
    return undefined;
  }),

  redeploy: mutation(deployInput, (i, store) => {
    store.startDeployment(findApplication(store, i.applicationId), i.title ?? "Rebuild deployment", i.description ?? "", "redeploy");
    return undefined;
  }),

  // start and stop answer the application as it was before (recording #41), then set the status.
  start: mutation(byIdInput, (i, store) => {
    const app = findApplication(store, i.applicationId);
    if (!store.settings.dockerAvailable) throw dockerScaleError(app.appName);
    const before = structuredClone(applicationFullView(store, app));
    store.setStatus(app, "done");
    store.deploys.startService(app.appName);
    return before;
  }),

  stop: mutation(byIdInput, (i, store) => {
    const app = findApplication(store, i.applicationId);
    const before = structuredClone(applicationFullView(store, app));
    store.setStatus(app, "idle"); // a failing `docker service scale` is swallowed by the real server
    store.deploys.stopService(app.appName);
    return before;
  }),

  // Drops the application's waiting jobs; the active one cannot be removed (recording #35: empty 200).
  cleanQueues: mutation(byIdInput, (i, store) => {
    store.deploys.cleanQueue(findApplication(store, i.applicationId).applicationId);
    return undefined;
  }),

  // Self-hosted servers refuse it (recording #18).
  cancelDeployment: mutation(byIdInput, (i, store) => {
    findApplication(store, i.applicationId);
    throw new ApiError("BAD_REQUEST", "Deployment cancellation only available in cloud version");
  }),

  // Deletes the row (cascading to domains, mounts, deployments); Docker cleanup errors are ignored by the server.
  delete: mutation(byIdInput, (i, store) => {
    const app = findApplication(store, i.applicationId);
    const before = applicationFullView(store, app);
    store.deleteApplication(app.applicationId);
    return before;
  }),
};
