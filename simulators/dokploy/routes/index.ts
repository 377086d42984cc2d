/**
 * The procedure table: `<router>.<procedure>` (lower-cased, because trpc-openapi matches paths case-insensitively)
 * → procedure. Anything absent here is a 404 NOT_FOUND, as on the real server.
 */
import { input, query } from "../procedure.ts";
import type { Procedure, Router } from "../procedure.ts";
import { applicationRouter } from "./application.ts";
import { composeRouter } from "./compose.ts";
import { deploymentRouter, dockerRouter, swarmRouter } from "./deployment.ts";
import { domainRouter } from "./domain.ts";
import { environmentRouter } from "./environment.ts";
import { mountsRouter } from "./mounts.ts";
import { projectRouter } from "./project.ts";
import { tagRouter } from "./tag.ts";

/** The version the simulator claims to be (the recordings' server). */
export const SIMULATED_VERSION = "v0.30.2";

const settingsRouter: Router = {
  getDokployVersion: query(input({}), () => SIMULATED_VERSION),
};

const ROUTERS: Record<string, Router> = {
  project: projectRouter, environment: environmentRouter, application: applicationRouter, domain: domainRouter,
  mounts: mountsRouter, tag: tagRouter, compose: composeRouter, settings: settingsRouter,
  deployment: deploymentRouter, docker: dockerRouter, swarm: swarmRouter,
};

/** A procedure with its canonical `router.procedure` name (used as `data.path` in error bodies). */
export interface NamedProcedure extends Procedure {
  path: string;
}

/** Lower-cased `router.procedure` → procedure. */
export const PROCEDURES: ReadonlyMap<string, NamedProcedure> = new Map(
  Object.entries(ROUTERS).flatMap(([r, procs]) =>
    Object.entries(procs).map(([p, proc]): [string, NamedProcedure] => [`${r}.${p}`.toLowerCase(), { ...proc, path: `${r}.${p}` }]),
  ),
);
