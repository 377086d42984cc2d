/**
 * The Coolify provider: createCoolifyProvider binds one Coolify v4.3 instance (URL + API token) and one server to
 * the Provider contract. Observe costs 1 + P + 1 + 2A requests (see observe.ts). Every call goes through one
 * transport per provider, which bounds concurrency, stays under the instance's rate limit (200 requests per
 * minute by default) and honours 429 Retry-After.
 */
import type { RequestInfo } from "../../http/client.ts";
import { ProviderError } from "../../http/errors.ts";
import type { RateLimit } from "../../http/limit.ts";
import type { Provider } from "../../provider.ts";
import { LABEL, read, write } from "./api.ts";
import { coolifyUnsupported, coolifyUnsupportedStack } from "./capabilities.ts";
import { fingerprint } from "./env.ts";
import { encodeDescription } from "./marker.ts";
import { DEFAULT_ENVIRONMENT, observeCoolify } from "./observe.ts";
import type { ProjectUuids } from "./observe.ts";
import { parseRow } from "../../http/response.ts";
import { Created, NamedList, ProjectDetail } from "./rows.ts";
import { createTransport } from "./transport.ts";
import * as writes from "./writes.ts";
import * as deployments from "./deployments.ts";

/** Options of createCoolifyProvider. */
export interface CoolifyProviderOptions {
  /** The Coolify base URL, e.g. `https://coolify.example.com` (the API lives under `/api/v1`). */
  url: string;
  /** A `<id>|<secret>` API token with read, write and deploy (read:sensitive for full env drift). Never logged. */
  token: string;
  /** The server applications are created on: its name or uuid. */
  server: string;
  /** The destination (Docker network), name or uuid; needed only when the server has several. */
  destination?: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Retries of reads and idempotent writes (default 4). */
  retries?: number;
  /** Client-side limit (default 180 per minute, under Coolify's default API_RATE_LIMIT of 200). */
  rateLimit?: RateLimit;
  /** Requests in flight at once (default 4). */
  maxConcurrent?: number;
  onRequest?: (info: RequestInfo) => void;
  /**
   * Secret key of the env fingerprints stored in variable comments (see env.ts). Default: the application uuid,
   * a salt only, so anyone who can read the comment can test guesses of a value; set a stable secret to prevent it.
   */
  fingerprintKey?: string;
  /** How long deleteApplication waits for Coolify's asynchronous deletion (default 120 s), polling every `deletePollMs` (default 1 s). */
  deleteTimeoutMs?: number;
  deletePollMs?: number;
}

/** A Provider that also releases its connections. */
export interface CoolifyProvider extends Provider {
  unsupportedStack(project: string, environment: string, description?: string | null): ReturnType<typeof coolifyUnsupportedStack>;
  close(): Promise<void>;
}

/** createCoolifyProvider returns the Coolify Provider for one instance and server. */
export function createCoolifyProvider(options: CoolifyProviderOptions): CoolifyProvider {
  const http = createTransport({
    baseUrl: `${options.url.replace(/\/+$/, "")}/api/v1`,
    label: LABEL,
    token: options.token,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    rateLimit: options.rateLimit ?? { requestsPerMinute: 180 },
    maxConcurrent: options.maxConcurrent ?? 4,
    onRequest: options.onRequest,
  });
  const fpSecret = (appUuid: string) => options.fingerprintKey ?? appUuid;
  let target: Promise<{ server: string; destination?: string }> | undefined;
  const ctx: writes.WriteContext = {
    http,
    target: () => (target ??= resolveTarget(options).catch((err: unknown) => {
      target = undefined; // a transient failure must not stick
      throw err;
    })),
    fpSecret,
    deleteTimeoutMs: options.deleteTimeoutMs ?? 120_000,
    deletePollMs: options.deletePollMs ?? 1000,
  };

  async function resolveTarget(o: CoolifyProviderOptions): Promise<{ server: string; destination?: string }> {
    const server = pick(await read(http, "/servers", NamedList), o.server, "server");
    if (o.destination === undefined) return { server };
    const destination = pick(await read(http, `/servers/${server}/destinations`, NamedList), o.destination, "destination");
    return { server, destination };
  }

  // Remembered across reads so that the controller's per-stack reconciles skip the team-wide lists (see observe.ts).
  const projectUuids: ProjectUuids = new Map();

  return {
    kind: "coolify",
    // Coolify regenerates the proxy labels from `fqdn` when it deploys: a new domain routes only after a deployment.
    domainsNeedRedeploy: true,
    unsupported: coolifyUnsupported,
    unsupportedStack: coolifyUnsupportedStack,
    observe: (request) => observeCoolify(http, request, fpSecret, projectUuids),
    async createProject(name, description) {
      const created = parseRow(Created, await write(http, "POST", "/projects", "create", { name, description: encodeDescription(description) }), `${LABEL} POST projects`);
      // Coolify creates `production` with every project; its uuid is only in the project's detail.
      const detail = await read(http, `/projects/${created.uuid}`, ProjectDetail);
      const env = detail.environments.find((e) => e.name === DEFAULT_ENVIRONMENT);
      projectUuids.set(name, created.uuid);
      return { id: created.uuid, ...(env ? { defaultEnvironment: { id: env.uuid, name: env.name } } : {}) };
    },
    async updateProject(id, description) {
      await write(http, "PATCH", `/projects/${id}`, "update", { description: encodeDescription(description) });
    },
    async deleteProject(id) {
      await write(http, "DELETE", `/projects/${id}`, "delete");
      for (const [name, known] of projectUuids) if (known === id) projectUuids.delete(name);
    },
    async createEnvironment(projectId, name, description) {
      // The create takes a name only; the description (marker) needs a second call.
      const created = parseRow(Created, await write(http, "POST", `/projects/${projectId}/environments`, "create", { name }), `${LABEL} POST environments`);
      await write(http, "PATCH", `/projects/${projectId}/environments/${created.uuid}`, "update", { description: encodeDescription(description) });
      return { id: created.uuid };
    },
    async updateEnvironment(ref, description) {
      await write(http, "PATCH", `/projects/${ref.projectId}/environments/${ref.environmentId}`, "update", { description: encodeDescription(description) });
    },
    async deleteEnvironment(ref) {
      await write(http, "DELETE", `/projects/${ref.projectId}/environments/${ref.environmentId}`, "delete");
    },
    createApplication: (env, name, description, spec) => writes.createApplication(ctx, env, name, description, spec),
    updateApplication: (id, spec, fields, description) => writes.updateApplication(ctx, id, spec, fields, description),
    deleteApplication: (id) => writes.deleteApplication(ctx, id),
    createDomain: (appId, domain) => writes.createDomain(ctx, appId, domain),
    updateDomain: (appId, domainId, domain) => writes.updateDomain(ctx, appId, domainId, domain),
    deleteDomain: (appId, domainId) => writes.deleteDomain(ctx, appId, domainId),
    deployApplication: (id) => deployments.startDeployment(http, id),
    observeDeployment: (ticket) => deployments.observeDeployment(http, ticket),
    readDeploymentLog: (ticket, lines) => deployments.readDeploymentLog(http, ticket, lines),
    latestDeployment: (appId) => deployments.latestDeployment(http, appId),
    readRuntime: (appId) => deployments.readRuntime(http, appId),
    close: () => http.close(),
  };
}

/** pick finds a server or destination by uuid, then by name; an unknown or ambiguous name is an error. */
function pick(rows: readonly { uuid: string; name: string }[], wanted: string, what: string): string {
  const byUuid = rows.find((r) => r.uuid === wanted);
  if (byUuid) return byUuid.uuid;
  const byName = rows.filter((r) => r.name === wanted);
  if (byName.length === 1) return byName[0]!.uuid;
  const why = byName.length === 0 ? `no ${what} named or with uuid '${wanted}'` : `${byName.length} ${what}s are named '${wanted}'; give its uuid`;
  throw new ProviderError({ code: "http.not-found", operation: `${LABEL} ${what}`, retryable: false }, why);
}

export { fingerprint };
