/**
 * A small JSON-over-HTTP client on undici, shared by the providers. One client serves one target: it owns the
 * connection pool, the in-flight bound and the rate limiter of that target. Reads and idempotent writes are
 * retried with exponential backoff and full jitter on network errors, timeouts, 429 and 5xx; other writes are
 * sent once, because a create that timed out may have happened and the next reconcile observes and decides.
 */
import { Pool } from "undici";
import { isProviderError, ProviderError } from "./errors.ts";
import type { ProviderErrorCode } from "./errors.ts";
import { RateLimiter, realSleep, Semaphore } from "./limit.ts";
import type { RateLimit, Sleep } from "./limit.ts";
import { failureFromResponse, parseRetryAfter, parseSuccessBody } from "./response.ts";

/** The methods the client speaks: Dokploy needs GET and POST, Coolify's REST API also PATCH and DELETE. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One attempt of a request, reported to `onRequest` (metrics, request counting in tests). */
export interface RequestInfo {
  method: HttpMethod;
  path: string;
  /** The HTTP status, or null when no answer arrived (network error, timeout). */
  status: number | null;
  durationMs: number;
  /** 0 for the first attempt. */
  attempt: number;
  error?: ProviderErrorCode;
}

/** Options of createHttpClient. Durations are milliseconds. */
export interface HttpClientOptions {
  /** Base URL that paths are appended to, e.g. `https://dokploy.example.com/api`. */
  baseUrl: string;
  /** Names the target kind in error messages, e.g. `dokploy`. */
  label: string;
  /** Sent with every request (auth). Their values are scrubbed from error messages. */
  headers?: Record<string, string>;
  /** More values to scrub from error messages (e.g. a token also sent inside a header value). */
  secrets?: readonly string[];
  /** Maps a non-2xx answer to an error; default `failureFromResponse`. Providers with their own error bodies set it. */
  mapFailure?: (operation: string, status: number, text: string, secrets: readonly string[]) => ProviderError;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Full jitter on backoff delays (default true). */
  jitter?: boolean;
  /**
   * Statuses the server answers before doing anything (e.g. Coolify's 429, from Laravel's throttle middleware, which
   * runs before the controller): a non-idempotent request answered so is retried like one never sent.
   */
  unprocessedStatuses?: readonly number[];
  /** A 429 whose Retry-After exceeds this fails instead of waiting (default 60 s). */
  maxRetryAfterMs?: number;
  rateLimit?: RateLimit;
  /** Requests in flight at once (default 8). */
  maxConcurrent?: number;
  /** Test seams. `now` also puts the rate limiter on the injected clock and sleep. */
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  onRequest?: (info: RequestInfo) => void;
}

/** Query parameters; arrays become repeated keys, undefined values are left out. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** Per-request options. */
export interface RequestOptions {
  signal?: AbortSignal;
}

/** Options of a POST. `idempotent` decides whether failures are retried. */
export interface PostOptions extends RequestOptions {
  idempotent: boolean;
  /** For deletes: a 404 on a retry means an earlier attempt succeeded, so it resolves undefined. */
  notFoundOnRetryIsSuccess?: boolean;
}

/** Options of a request of any method. GETs are retried; other methods only when `idempotent`. */
export interface CallOptions extends RequestOptions {
  query?: Query;
  body?: unknown;
  idempotent?: boolean;
  notFoundOnRetryIsSuccess?: boolean;
}

/** A JSON HTTP client bound to one target. Results are the parsed JSON body (undefined when empty). */
export interface HttpClient {
  get(path: string, query?: Query, options?: RequestOptions): Promise<unknown>;
  post(path: string, body: unknown, options: PostOptions): Promise<unknown>;
  /** Any method; errors name the operation as `LABEL METHOD path`. */
  request(method: HttpMethod, path: string, options?: CallOptions): Promise<unknown>;
  /** Closes the pooled connections. */
  close(): Promise<void>;
}

interface Call {
  method: HttpMethod;
  path: string;
  operation: string;
  body?: string;
  retrySafe: boolean;
  notFoundOnRetryIsSuccess: boolean;
  signal?: AbortSignal;
}

type Outcome =
  | { value: unknown; status: number }
  | { error: ProviderError; retryAfterMs?: number; sent: boolean; status?: number | null };

// Errors raised before a request left this process: retrying them cannot repeat a write.
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** createHttpClient builds a client for one target; see HttpClientOptions for defaults. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, "");
  const maxConcurrent = options.maxConcurrent ?? 8;
  const pool = new Pool(base.origin, { connections: maxConcurrent });
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const gate = new Semaphore(maxConcurrent);
  const limiter = new RateLimiter(options.rateLimit, options.now ? sleep : realSleep, options.now);
  const secrets = [...Object.values(options.headers ?? {}), ...(options.secrets ?? [])];
  const mapFailure = options.mapFailure ?? failureFromResponse;
  const cfg = {
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 4,
    minBackoffMs: options.minBackoffMs ?? 250,
    maxBackoffMs: options.maxBackoffMs ?? 10_000,
    jitter: options.jitter ?? true,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  };

  const backoff = (retry: number): number => {
    const ceiling = Math.min(cfg.maxBackoffMs, cfg.minBackoffMs * 2 ** retry);
    return cfg.jitter ? Math.round(random() * ceiling) : ceiling;
  };

  /** One attempt: admission, the request with its timeout, the mapping of its answer, and its report. */
  const attempt = async (call: Call, n: number): Promise<Outcome> => {
    const release = await gate.acquire();
    const started = performance.now();
    let outcome: Outcome = { error: aborted(call.operation, undefined), sent: false };
    try {
      outcome = await send(call, n);
    } finally {
      release();
      const status = ("status" in outcome ? outcome.status : null) ?? null;
      const error = "error" in outcome ? outcome.error.code : undefined;
      options.onRequest?.({ method: call.method, path: call.path, status, durationMs: performance.now() - started, attempt: n, ...(error ? { error } : {}) });
    }
    return outcome;
  };

  /** Sends one request; never throws. */
  const send = async (call: Call, n: number): Promise<Outcome> => {
    let status: number | null = null;
    // The timeout starts once the rate limiter lets the request go: waiting for a token is not the server's delay.
    let timeout: AbortSignal | undefined;
    try {
      await limiter.take(call.signal);
      timeout = AbortSignal.timeout(cfg.timeoutMs);
      const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
      const res = await pool.request({
        path: basePath + call.path,
        method: call.method,
        headers: { accept: "application/json", ...(call.body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
        body: call.body,
        signal,
      });
      status = res.statusCode;
      const text = await res.body.text();
      if (status >= 200 && status < 300) return { value: parseSuccessBody(text, call.operation, status), status };
      if (status === 404 && n > 0 && call.notFoundOnRetryIsSuccess) return { value: undefined, status };
      const error = mapFailure(call.operation, status, text, secrets);
      const sent = !(options.unprocessedStatuses?.includes(status) ?? false);
      return { error, retryAfterMs: parseRetryAfter(res.headers["retry-after"]), sent, status };
    } catch (err) {
      if (isProviderError(err)) return { error: err, sent: true, status };
      return transportFailure(call, err, timeout, cfg.timeoutMs);
    }
  };

  const run = async (call: Call): Promise<unknown> => {
    for (let n = 0; ; n++) {
      const outcome = await attempt(call, n);
      if ("value" in outcome) return outcome.value;
      const { error } = outcome;
      const mayRetry = error.retryable && (call.retrySafe || !outcome.sent) && n < cfg.retries;
      if (!mayRetry) throw error;
      let delay = backoff(n);
      if (outcome.retryAfterMs !== undefined) {
        if (outcome.retryAfterMs > cfg.maxRetryAfterMs) throw error;
        delay = Math.max(outcome.retryAfterMs, delay);
      }
      try {
        await sleep(delay, call.signal);
      } catch (cause) {
        throw aborted(call.operation, cause);
      }
    }
  };

  const operation = (path: string) => `${options.label} ${path.replace(/^\/+/, "")}`;
  const normal = (path: string) => (path.startsWith("/") ? path : `/${path}`);

  const call = (method: HttpMethod, path: string, name: string, opts: CallOptions): Promise<unknown> =>
    run({
      method,
      path: normal(path) + encodeQuery(opts.query),
      operation: name,
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      retrySafe: method === "GET" || opts.idempotent === true,
      notFoundOnRetryIsSuccess: opts.notFoundOnRetryIsSuccess ?? false,
      signal: opts.signal,
    });

  return {
    get: (path, query, opts) => call("GET", path, operation(path), { ...(query ? { query } : {}), signal: opts?.signal }),
    post: (path, body, opts) => call("POST", path, operation(path), { ...opts, body: body ?? {} }),
    request: (method, path, opts = {}) => call(method, path, `${options.label} ${method} ${path.replace(/^\/+/, "")}`, opts),
    close: () => pool.close(),
  };
}

/** Maps an exception of undici (or an abort) to a ProviderError, telling whether the request may have been sent. */
function transportFailure(call: Call, err: unknown, timeout: AbortSignal | undefined, timeoutMs: number): { error: ProviderError; sent: boolean } {
  if (call.signal?.aborted) return { error: aborted(call.operation, err), sent: true };
  if (timeout?.aborted) {
    return { error: new ProviderError({ code: "http.timeout", operation: call.operation, retryable: true, cause: err }, `no answer within ${timeoutMs} ms`), sent: true };
  }
  const code = errorCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  const error = new ProviderError({ code: "http.network", operation: call.operation, retryable: true, cause: err }, `network error (${code ?? "unknown"}: ${detail})`);
  return { error, sent: !(code !== undefined && NOT_SENT.has(code)) };
}

function aborted(operation: string, cause: unknown): ProviderError {
  return new ProviderError({ code: "http.aborted", operation, retryable: false, cause }, "aborted");
}

/** The error code of a Node or undici error, looking through `cause` (connect errors nest the errno). */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** encodeQuery renders `?a=1&b=x&b=y`, or "" when there is nothing to send. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
