/**
 * The Dokploy provider: createDokployProvider binds one Dokploy server (URL + API key) to the Provider contract.
 * Observe costs 1 + P + A requests (see observe.ts); every call goes through one HTTP client per provider, which
 * bounds concurrency, rate-limits and retries as configured.
 */
import { createHttpClient } from "../../http/client.ts";
import type { RequestInfo } from "../../http/client.ts";
import type { RateLimit } from "../../http/limit.ts";
import type { Provider } from "../../provider.ts";
import { create, LABEL, mutate } from "./api.ts";
import { dokployUnsupported } from "./capabilities.ts";
import { observeDokploy } from "./observe.ts";
import type { ProjectIds } from "./observe.ts";
import { parseRow } from "../../http/response.ts";
import { CreatedProject, IdRow } from "./rows.ts";
import { createTagger } from "./tags.ts";
import * as writes from "./writes.ts";
import * as deployments from "./deployments.ts";

/** Options of createDokployProvider. */
export interface DokployProviderOptions {
  /** The Dokploy base URL, e.g. `https://dokploy.example.com` (the API lives under `/api`). */
  url: string;
  /** An API key created with rate limiting off (the UI default). Never logged. */
  apiKey: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Retries of reads and idempotent writes (default 4). */
  retries?: number;
  rateLimit?: RateLimit;
  /** Requests in flight at once (default 8). */
  maxConcurrent?: number;
  onRequest?: (info: RequestInfo) => void;
  /** Non-fatal problems (e.g. tagging a project failed). */
  onWarning?: (message: string) => void;
  /** Railpack version for build type railpack (default 0.15.4, Dokploy v0.30.2's default). */
  railpackVersion?: string;
}

/** A Provider that also releases its connections. */
export interface DokployProvider extends Provider {
  close(): Promise<void>;
}

/** createDokployProvider returns the Dokploy Provider for one server. */
export function createDokployProvider(options: DokployProviderOptions): DokployProvider {
  const http = createHttpClient({
    baseUrl: `${options.url.replace(/\/+$/, "")}/api`,
    label: LABEL,
    headers: { "x-api-key": options.apiKey },
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    rateLimit: options.rateLimit,
    maxConcurrent: options.maxConcurrent,
    onRequest: options.onRequest,
    // A 429 (Dokploy's tRPC TOO_MANY_REQUESTS, or a rate-limiting proxy in front) means the request was not
    // processed: creates and deploys are retried after Retry-After too, as on Coolify.
    unprocessedStatuses: [429],
  });
  const tagger = createTagger(http, options.onWarning ?? (() => undefined));
  // Remembered across reads so that the controller's per-stack reconciles can skip project.all (see observe.ts).
  const projectIds: ProjectIds = new Map();
  const writeOptions = { railpackVersion: options.railpackVersion ?? "0.15.4" };
  const appNames: deployments.AppNames = new Map();
  // Applications this provider created and has not deployed since: their first deploy needs no look at the queue.
  const fresh = new Set<string>();

  return {
    kind: "dokploy",
    unsupported: dokployUnsupported,
    observe: (request) => observeDokploy(http, request, projectIds),
    async createProject(name, description) {
      const created = parseRow(CreatedProject, await mutate(http, "project.create", { name, description }, "create"), `${LABEL} project.create`);
      await tagger.tagProject(created.project.projectId);
      projectIds.set(name, created.project.projectId);
      const env = created.environment;
      return { id: created.project.projectId, ...(env ? { defaultEnvironment: { id: env.environmentId, name: env.name } } : {}) };
    },
    async updateProject(id, description) {
      await mutate(http, "project.update", { projectId: id, description }, "update");
    },
    async deleteProject(id) {
      await mutate(http, "project.remove", { projectId: id }, "delete");
      for (const [name, known] of projectIds) if (known === id) projectIds.delete(name);
    },
    async createEnvironment(projectId, name, description) {
      return { id: await create(http, "environment.create", { projectId, name, description }, "environmentId", IdRow("environmentId")) };
    },
    async updateEnvironment(ref, description) {
      await mutate(http, "environment.update", { environmentId: ref.environmentId, description }, "update");
    },
    async deleteEnvironment(ref) {
      await mutate(http, "environment.remove", { environmentId: ref.environmentId }, "delete");
    },
    async createApplication(env, name, description, spec) {
      const created = await writes.createApplication(http, env, name, description, spec, writeOptions);
      fresh.add(created.id);
      if (created.appName) appNames.set(created.id, created.appName);
      return { id: created.id };
    },
    updateApplication: (id, spec, fields, description) => writes.updateApplication(http, id, spec, fields, description, writeOptions),
    async deleteApplication(id) {
      fresh.delete(id);
      await writes.deleteApplication(http, id);
    },
    createDomain: (applicationId, domain) => writes.createDomain(http, applicationId, domain),
    updateDomain: (_applicationId, domainId, domain) => writes.updateDomain(http, domainId, domain),
    deleteDomain: (_applicationId, domainId) => writes.deleteDomain(http, domainId),
    deployApplication: (id) => deployments.startDeployment(http, id, fresh.delete(id)),
    observeDeployment: (ticket) => deployments.observeDeployment(http, ticket),
    readDeploymentLog: (ticket, lines) => deployments.readDeploymentLog(http, ticket, lines),
    latestDeployment: (appId) => deployments.latestDeployment(http, appId),
    readRuntime: (appId) => deployments.readRuntime(http, appId, appNames),
    close: () => http.close(),
  };
}
