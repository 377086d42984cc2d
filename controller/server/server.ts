/**
 * The controller's HTTP server (issue #4), one port: health and readiness probes, Prometheus metrics, the stacks'
 * status API and the webhooks. Handlers only read state through the `routes` callbacks and only signal through
 * `onTrigger`; they never reconcile themselves (style-anchors Lesson 2: events just enqueue).
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { ApiResponse } from "../api/routes.ts";
import type { StackStatus } from "../loop/status.ts";
import type { Scrubber } from "../scrub.ts";
import { decideGithub, verifyBearer, verifyGithubSignature } from "./hooks.ts";
import { applyServerLimits, SERVER_LIMITS, serverOptions } from "./limits.ts";
import type { ServerLimits } from "./limits.ts";
import { createReplayGuard } from "./replay.ts";
import { METRICS_CONTENT_TYPE } from "./controller-metrics.ts";

/** The manifests' source as the status API reports it: the revision in force and the last fetch's outcome. */
export interface SourceState {
  kind: "git" | "directory";
  subject: string;
  revision: string | null;
  /** ISO 8601 time of the last successful fetch. */
  lastFetchAt: string | null;
  /** The last fetch's error (credentials scrubbed), null once a fetch succeeds again. */
  lastError: string | null;
}

/** What the server reads from the controller. Each callback is called per request and must be cheap. */
export interface ServerRoutes {
  stacks(): StackStatus[];
  /** Optional: the source's state, served at `/api/v1/source` and alongside the stacks' list. */
  source?(): SourceState;
  ready(): { ready: boolean; reason?: string };
  /** The Prometheus text; prom-client renders asynchronously. */
  metrics(): string | Promise<string>;
}

/** Webhook settings; a receiver without its secret/token is disabled (404). */
export interface ServerHooks {
  githubSecret?: string;
  /** Only pushes to this branch trigger. */
  branch: string;
  bearerToken?: string;
  /** Called once per accepted hook, with a reason for the logs (`github push to main abc123`). */
  onTrigger: (reason: string) => void;
}

/** Options of startControllerServer. */
export interface ControllerServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  routes: ServerRoutes;
  hooks: ServerHooks;
  /** Largest accepted request body; default 1 MiB. Larger → 413. */
  maxBodyBytes?: number;
  logger: Logger;
  /** Timeouts and the connection cap; defaults SERVER_LIMITS. */
  limits?: Partial<ServerLimits>;
  /** Every response body (status, readiness reasons, metrics) is scrubbed by value through it. */
  scrub?: Scrubber;
  /** The management API (controller/api/routes.ts): answers its own paths, undefined for the others. */
  api?: (method: string, path: string, authorization: string | undefined) => Promise<ApiResponse | undefined>;
}

/** A running server. */
export interface ControllerServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  /** close stops accepting connections and closes idle and active ones. */
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

/** startControllerServer listens on host:port and resolves once it accepts connections. */
export async function startControllerServer(opts: ControllerServerOptions): Promise<ControllerServer> {
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const scrub = opts.scrub;
  const send = (res: ServerResponse, status: number, body: unknown, close = false, extra: Record<string, string> = {}): void =>
    sendJson(res, status, scrub ? scrub.deep(body) : body, close, extra);
  const text = (res: ServerResponse, status: number, body: string, type?: string): void => sendText(res, status, scrub ? scrub.text(body) : body, type);
  const limits = { ...SERVER_LIMITS, ...opts.limits };
  const replays = createReplayGuard();
  const server = createServer(serverOptions(limits), (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof BodyTooLarge) return send(res, 413, { error: { code: "http.body-too-large" } }, true);
      opts.logger.error({ err, path: pathOf(req) }, "request failed");
      if (!res.headersSent) send(res, 500, { error: { code: "http.internal" } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (path === "/hooks/github" || path === "/hooks/generic") {
      if (req.method !== "POST") return send(res, 405, { error: { code: "http.method-not-allowed" } });
      const body = await readBody(req, maxBody);
      return path === "/hooks/github" ? githubHook(req, res, body) : genericHook(req, res);
    }
    if (opts.api && path.startsWith("/api/v1/")) {
      if (req.method === "POST") await readBody(req, maxBody); // bodies are ignored, but never left unread
      const answer = await opts.api(req.method ?? "GET", path, header(req, "authorization"));
      if (answer) return send(res, answer.status, answer.body, false, answer.headers ?? {});
    }
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { error: { code: "http.method-not-allowed" } });
    if (path === "/healthz") return text(res, 200, "ok\n");
    if (path === "/readyz") {
      const r = opts.routes.ready();
      return text(res, r.ready ? 200 : 503, r.ready ? "ok\n" : `not ready: ${r.reason ?? "starting"}\n`);
    }
    if (path === "/metrics") return text(res, 200, await opts.routes.metrics(), METRICS_CONTENT_TYPE);
    if (path === "/api/v1/stacks") return send(res, 200, { items: opts.routes.stacks(), ...(opts.routes.source ? { source: opts.routes.source() } : {}) });
    if (path === "/api/v1/source" && opts.routes.source) return send(res, 200, opts.routes.source());
    if (path.startsWith("/api/v1/stacks/")) return stack(res, path.slice("/api/v1/stacks/".length));
    send(res, 404, { error: { code: "http.not-found" } });
  }

  function stack(res: ServerResponse, encoded: string): void {
    let name: string;
    try {
      name = decodeURIComponent(encoded);
    } catch {
      return send(res, 400, { error: { code: "http.bad-request" } });
    }
    const s = opts.routes.stacks().find((x) => x.name === name);
    if (s) send(res, 200, s);
    else send(res, 404, { error: { code: "stack.not-found", subject: `stack/${name}` } });
  }

  function githubHook(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const secret = opts.hooks.githubSecret;
    if (!secret) return send(res, 404, { error: { code: "http.not-found" } });
    const delivery = header(req, "x-github-delivery");
    if (!verifyGithubSignature(secret, body, header(req, "x-hub-signature-256"))) {
      opts.logger.warn({ delivery }, "github hook rejected: invalid signature");
      return send(res, 401, { error: { code: "hook.invalid-signature" } });
    }
    if (replays.seen(delivery, body)) {
      opts.logger.warn({ delivery }, "github hook ignored: a delivery seen before (replay)");
      return send(res, 200, { triggered: false, reason: "delivery seen before" });
    }
    const decision = decideGithub(header(req, "x-github-event"), body, opts.hooks.branch);
    if (decision.kind === "ping") return send(res, 200, { message: "pong" });
    if (decision.kind === "ignore") {
      opts.logger.debug({ delivery, reason: decision.reason }, "github hook ignored");
      return empty(res, 204);
    }
    opts.logger.info({ delivery, reason: decision.reason }, "github hook accepted");
    opts.hooks.onTrigger(decision.reason);
    send(res, 202, { triggered: true });
  }

  function genericHook(req: IncomingMessage, res: ServerResponse): void {
    const token = opts.hooks.bearerToken;
    if (!token) return send(res, 404, { error: { code: "http.not-found" } });
    if (!verifyBearer(token, header(req, "authorization"))) {
      opts.logger.warn("generic hook rejected: invalid bearer token");
      return send(res, 401, { error: { code: "hook.unauthorized" } }, false, { "www-authenticate": "Bearer" });
    }
    opts.logger.info("generic hook accepted");
    opts.hooks.onTrigger("generic hook");
    send(res, 202, { triggered: true });
  }

  applyServerLimits(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** readBody buffers the request body, rejecting with BodyTooLarge past `max` bytes (declared or streamed). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > max) {
      req.resume(); // discard, so the 413 can still be written to a client that keeps sending
      return reject(new BodyTooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? "/", "http://localhost").pathname;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", ...extra };
  if (close) headers.connection = "close";
  res.writeHead(status, headers).end(`${JSON.stringify(body)}\n`);
}

function sendText(res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): void {
  res.writeHead(status, { "content-type": type }).end(body);
}

function empty(res: ServerResponse, status: number): void {
  res.writeHead(status).end();
}
