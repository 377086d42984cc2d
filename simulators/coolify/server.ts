/**
 * A Coolify-compatible HTTP server for tests and the quick start: node:http on 127.0.0.1, the `/api/v1` routes
 * stackctl uses with Coolify v4.3's behaviour (Bearer tokens, the API-disabled 403, 422 `{message, errors}`, 409
 * domain conflicts, tags, asynchronous deletion, env flags, storages and their traps), request bodies validated
 * against the OpenAPI document, Laravel's per-user rate limit (a real 429 with Retry-After), and the fault knobs of
 * the Dokploy simulator. Faults apply to `/api/v1/*` except health, in this order: latency, dropped connection, 429, 500,
 * token revocation (401).
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { closeServer, createFaults, listenLocal } from "../faults.ts";
import { dispatch } from "./router.ts";
import type { RouteResult } from "./router.ts";
import { applicationRoutes } from "./routes/applications.ts";
import { deploymentRoutes } from "./routes/deployments.ts";
import { envRoutes } from "./routes/envs.ts";
import { projectRoutes } from "./routes/projects.ts";
import { resourceRoutes } from "./routes/resources.ts";
import { storageRoutes } from "./routes/storages.ts";
import { CoolifyStore } from "./store.ts";

/** Options of startCoolifySimulator. */
export interface CoolifySimulatorOptions {
  port?: number;              // default 0 (ephemeral); host is always 127.0.0.1
  token?: string;             // default "1|sim-token" (Sanctum's `<id>|<secret>`)
  latencyMs?: number;         // added to each request, default 0
  errorRate?: number;         // 0..1: fraction answered 500 (deterministic via seed)
  rateLimit429Rate?: number;  // 0..1: fraction answered 429 with Retry-After: 1
  unauthorizedAfter?: number; // answer 401 to every request after N authenticated calls (token revoked)
  dropRate?: number;          // 0..1: fraction of connections destroyed without an answer
  seed?: number;
  rateLimitPerMinute?: number;// API_RATE_LIMIT, default 200; exceeding it gives a real 429 with Retry-After
  rateLimitWindowMs?: number; // the limiter's window, default 60 000 (shorten it in tests)
  deleteDelayMs?: number;     // how long DeleteResourceJob takes, default 50
  canReadSensitive?: boolean; // token with read:sensitive (default true); false hides env values and the Dockerfile
}

/** The fault knobs that can change while the server runs. */
export type CoolifyFaults = Partial<Pick<CoolifySimulatorOptions, "latencyMs" | "errorRate" | "rateLimit429Rate" | "unauthorizedAfter" | "dropRate">>;

/** A running simulator. */
export interface CoolifySimulator {
  url: string;               // e.g. http://127.0.0.1:54321 (API under url + "/api/v1/...")
  token: string;
  /** Every request received, in order; `status` 0 for a dropped connection, `bytes` the answer's body once sent. */
  requests: { method: string; path: string; status: number; bytes?: number }[];
  store: CoolifyStore;       // settings.apiEnabled / canReadSensitive / deleteDelayMs may be flipped by tests
  /** Changes the knobs; setting `unauthorizedAfter` restarts its count of authenticated calls. */
  setFaults(f: CoolifyFaults): void;
  close(): Promise<void>;
}

const ROUTES = [...projectRoutes, ...applicationRoutes, ...envRoutes, ...storageRoutes, ...deploymentRoutes, ...resourceRoutes];

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Sends `r`; returns the body's length in bytes. */
function send(res: ServerResponse, r: RouteResult): number {
  const text = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
  const type = typeof r.body === "string" ? "text/plain; charset=utf-8" : "application/json";
  const bytes = Buffer.byteLength(text);
  res.writeHead(r.status, { ...r.headers, "content-type": type, "content-length": String(bytes) }).end(text);
  return bytes;
}

/** Starts the simulator; resolves once it listens. */
export async function startCoolifySimulator(opts: CoolifySimulatorOptions = {}): Promise<CoolifySimulator> {
  const token = opts.token ?? "1|sim-token";
  const store = new CoolifyStore({ apiEnabled: true, canReadSensitive: opts.canReadSensitive ?? true, deleteDelayMs: opts.deleteDelayMs ?? 50 });
  const faults = createFaults(opts, opts.seed ?? Math.floor(Math.random() * 2 ** 31));
  const limit = opts.rateLimitPerMinute ?? 200;
  const windowMs = opts.rateLimitWindowMs ?? 60_000;
  const window = { start: 0, count: 0 };
  const requests: CoolifySimulator["requests"] = [];

  /** Laravel's fixed-window limiter: the window starts at its first hit; rejected attempts do not count. */
  function throttle(): RouteResult | null {
    const now = Date.now();
    if (now - window.start >= windowMs) Object.assign(window, { start: now, count: 0 });
    if (window.count >= limit) {
      const retryAfter = String(Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)));
      return { status: 429, body: { message: "Too Many Attempts." }, headers: { "retry-after": retryAfter, "x-ratelimit-limit": String(limit), "x-ratelimit-remaining": "0" } };
    }
    window.count++;
    return null;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, log: { status: number; bytes?: number }): Promise<void> {
    const fault = await faults.next();
    if (fault === "drop") return void req.socket.destroy();
    const answer = (r: RouteResult) => {
      log.status = r.status;
      log.bytes = send(res, r);
    };
    if (fault === "rate-limited") return answer({ status: 429, body: { message: "Too Many Attempts." }, headers: { "retry-after": "1" } });
    if (fault === "server-error") return answer({ status: 500, body: { message: "Server Error" } });
    const text = await readBody(req);
    if (req.headers.authorization !== `Bearer ${token}` || !faults.admit()) return answer({ status: 401, body: { message: "Unauthenticated." } });
    const limited = throttle();
    if (limited) return answer(limited);
    // ApiAllowed runs after authentication: a disabled API still tells a bad token apart. Note `success: true`.
    if (!store.settings.apiEnabled) return answer({ status: 403, body: { success: true, message: "API is disabled." } });
    answer(dispatch(ROUTES, store, req.method ?? "GET", url.pathname.slice("/api/v1".length), url.searchParams, req.headers["content-type"], text));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const log: CoolifySimulator["requests"][number] = { method: req.method ?? "GET", path: url.pathname + url.search, status: 0 };
    requests.push(log);
    try {
      if (url.pathname === "/api/health" || url.pathname === "/api/v1/health") {
        log.status = 200;
        return void send(res, { status: 200, body: "OK" });
      }
      if (!url.pathname.startsWith("/api/v1/")) {
        log.status = 404;
        return void send(res, { status: 404, body: { message: "Not found.", docs: "https://coolify.io/docs" } });
      }
      await handleApi(req, res, url, log);
    } catch (err) {
      log.status = 500;
      if (!res.headersSent) send(res, { status: 500, body: { message: String(err) } });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  return {
    url: await listenLocal(server, opts.port),
    token,
    requests,
    store,
    setFaults: (f) => faults.set(f),
    async close() {
      store.dispose();
      await closeServer(server);
    },
  };
}
