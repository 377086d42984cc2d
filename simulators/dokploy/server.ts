/**
 * A Dokploy-compatible HTTP server for tests and the quick start: node:http on 127.0.0.1, `x-api-key` auth, the
 * REST layer of Dokploy v0.30 (see dispatch.ts), and fault knobs for the reliability tests. Faults apply to
 * `/api/*` except `/api/health`, in this order: latency, dropped connection, 429, 500, key exhaustion (401).
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dispatch } from "./dispatch.ts";
import type { SimResponse } from "./dispatch.ts";
import { UNAUTHORIZED_BODY, trpcErrorBody } from "./errors.ts";
import { loadStore, saveStore } from "./persistence.ts";
import { closeServer, createFaults, listenLocal } from "../faults.ts";
import { DokployStore } from "./store.ts";

/** Options of startDokploySimulator. */
export interface DokploySimulatorOptions {
  port?: number;            // default 0 (ephemeral); host is always 127.0.0.1
  apiKey?: string;          // default "sim-api-key"
  latencyMs?: number;       // added to each request, default 0
  errorRate?: number;       // 0..1: fraction of requests answered 500 (deterministic via seed)
  rateLimit429Rate?: number;// 0..1: fraction answered 429 with Retry-After: 1
  unauthorizedAfter?: number; // answer 401 to every request after N authenticated calls (key exhaustion)
  dropRate?: number;        // 0..1: fraction of connections destroyed without an answer
  seed?: number;            // for the random knobs and the appName suffixes
  stateFile?: string;       // load from / save to this JSON file (optional persistence)
}

/** The fault knobs that can change while the server runs. */
export type DokployFaults = Partial<Pick<DokploySimulatorOptions, "latencyMs" | "errorRate" | "rateLimit429Rate" | "unauthorizedAfter" | "dropRate">>;

/** A running simulator. */
export interface DokploySimulator {
  url: string;              // e.g. http://127.0.0.1:54321  (API under url + "/api/...")
  apiKey: string;
  /** Every request received, in order; `status` 0 for a dropped connection. */
  requests: { method: string; path: string; status: number }[];
  store: DokployStore;      // in-memory state, for tests to inspect and to make "drift" changes by hand
  /** Changes the knobs; setting `unauthorizedAfter` restarts its count of authenticated calls. */
  setFaults(f: DokployFaults): void;
  close(): Promise<void>;
}


async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Next.js parses JSON bodies before Dokploy's code runs; a malformed one is a bare-text 400 (recording #92). */
function parseJson(text: string, contentType: string | undefined): { ok: true; body: unknown } | { ok: false } {
  if (!contentType?.startsWith("application/json") || text.length === 0) return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function send(res: ServerResponse, r: SimResponse, extraHeaders: Record<string, string> = {}): void {
  const text = r.body === undefined ? "" : typeof r.body === "string" && r.contentType === null ? r.body : JSON.stringify(r.body);
  const headers: Record<string, string> = { ...extraHeaders, "content-length": String(Buffer.byteLength(text)) };
  if (r.contentType) headers["content-type"] = r.contentType;
  res.writeHead(r.status, headers).end(text);
}

/** How often at most the state file is written while requests change the store. */
const SAVE_INTERVAL_MS = 250;

/** Starts the simulator; resolves once it listens. */
export async function startDokploySimulator(opts: DokploySimulatorOptions = {}): Promise<DokploySimulator> {
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const apiKey = opts.apiKey ?? "sim-api-key";
  const store = new DokployStore(seed);
  const faults = createFaults(opts, seed);
  const requests: DokploySimulator["requests"] = [];
  const persist = persistence(store, opts.stateFile);

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, log: { status: number }): Promise<void> {
    const fault = await faults.next();
    if (fault === "drop") return void req.socket.destroy();
    if (fault === "rate-limited") {
      log.status = 429;
      return send(res, { status: 429, body: trpcErrorBody("TOO_MANY_REQUESTS", "Too many requests"), contentType: "application/json" }, { "retry-after": "1" });
    }
    if (fault === "server-error") {
      log.status = 500;
      return send(res, { status: 500, body: trpcErrorBody("INTERNAL_SERVER_ERROR", "Simulated server error"), contentType: "application/json" });
    }
    const contentType = req.headers["content-type"];
    const parsed = parseJson(await readBody(req), contentType);
    if (!parsed.ok) return void send(res, { status: (log.status = 400), body: "Invalid JSON", contentType: null });
    // Bearer tokens are not accepted; an exhausted key answers exactly like a wrong one.
    const keyOk = req.headers["x-api-key"] === apiKey && faults.admit();
    if (!keyOk) return void send(res, { status: (log.status = 401), body: UNAUTHORIZED_BODY, contentType: "application/json; charset=utf-8" });
    const r = await dispatch(store, { method: req.method ?? "GET", procedure: url.pathname.slice(5), query: url.searchParams, contentType, body: parsed.body });
    log.status = r.status;
    send(res, r);
    if (req.method === "POST" && r.status === 200) persist.save();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const log = { method: req.method ?? "GET", path: url.pathname, status: 0 };
    requests.push(log);
    try {
      if (url.pathname.toLowerCase() === "/api/health") {
        log.status = 200;
        return send(res, { status: 200, body: { ok: true }, contentType: "application/json" });
      }
      if (!url.pathname.startsWith("/api/")) {
        log.status = 404;
        return send(res, { status: 404, body: { message: "Not found" }, contentType: "application/json" });
      }
      await handleApi(req, res, url, log);
    } catch (err) {
      log.status = 500;
      if (!res.headersSent) send(res, { status: 500, body: trpcErrorBody("INTERNAL_SERVER_ERROR", String(err)), contentType: "application/json" });
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  return {
    url: await listenLocal(server, opts.port),
    apiKey,
    requests,
    store,
    setFaults: (f) => faults.set(f),
    async close() {
      store.dispose();
      await closeServer(server);
      persist.flush();
    },
  };
}

/**
 * Loads the state file now and saves it after changes, at most every SAVE_INTERVAL_MS: the file holds the whole
 * store, and writing it after every request made a 10,000-stack seeding rewrite megabytes thousands of times.
 */
function persistence(store: DokployStore, file: string | undefined): { save(): void; flush(): void } {
  if (!file) return { save() {}, flush() {} };
  loadStore(store, file);
  let pending = false;
  const flush = () => {
    pending = false;
    saveStore(store, file);
  };
  const save = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => pending && flush(), SAVE_INTERVAL_MS).unref();
  };
  store.onChange = save; // deployments finishing in the background change state too
  return { save, flush };
}
