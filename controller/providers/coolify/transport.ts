/**
 * The Coolify provider's HTTP transport. Coolify's REST API needs PATCH and DELETE, which the shared
 * `http/client.ts` does not offer yet (it speaks GET and POST only), so this module drives the same building
 * blocks — its rate limiter, in-flight semaphore, Retry-After parsing, response mapping and ProviderError — with
 * the same retry policy: reads and idempotent writes are retried with jittered backoff on network errors,
 * timeouts, 429 and 5xx; other writes are sent once. Once the shared client gains PATCH/DELETE this file should
 * shrink to an adapter over it.
 */
import { Pool } from "undici";
import { encodeQuery } from "../../http/client.ts";
import type { Query, RequestInfo } from "../../http/client.ts";
import { ProviderError } from "../../http/errors.ts";
import type { FieldErrors } from "../../http/errors.ts";
import { RateLimiter, realSleep, Semaphore } from "../../http/limit.ts";
import type { RateLimit } from "../../http/limit.ts";
import { failureFromResponse, parseRetryAfter, parseSuccessBody, sanitize } from "../../http/response.ts";

/** The HTTP methods Coolify's API uses. */
export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** Options of createTransport. Durations are milliseconds. */
export interface TransportOptions {
  baseUrl: string;
  label: string;
  token: string;
  timeoutMs?: number;
  retries?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  maxRetryAfterMs?: number;
  rateLimit?: RateLimit;
  maxConcurrent?: number;
  /** Reported per attempt; `method` is widened to the four Coolify methods. */
  onRequest?: (info: Omit<RequestInfo, "method"> & { method: Method }) => void;
}

/** Per-call options: `idempotent` allows retries of a write; deletes may treat a 404 on a retry as done. */
export interface CallOptions {
  query?: Query;
  body?: unknown;
  idempotent?: boolean;
  notFoundOnRetryIsSuccess?: boolean;
}

/** A JSON transport bound to one Coolify instance. Results are parsed JSON (undefined when empty). */
export interface Transport {
  request(method: Method, path: string, options?: CallOptions): Promise<unknown>;
  close(): Promise<void>;
}

type Outcome = { value: unknown; status: number } | { error: ProviderError; retryAfterMs?: number; sent: boolean; status: number | null };

/** createTransport builds the transport; the bearer token is never put into errors. */
export function createTransport(options: TransportOptions): Transport {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, "");
  const maxConcurrent = options.maxConcurrent ?? 8;
  const pool = new Pool(base.origin, { connections: maxConcurrent });
  const gate = new Semaphore(maxConcurrent);
  const limiter = new RateLimiter(options.rateLimit);
  const auth = `Bearer ${options.token}`;
  const secrets = [auth, options.token];
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 4;
  const minBackoff = options.minBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;

  const attempt = async (method: Method, path: string, body: string | undefined, operation: string, n: number, okOn404: boolean): Promise<Outcome> => {
    const release = await gate.acquire();
    const started = performance.now();
    let outcome: Outcome = { error: failure(operation, "http.aborted", "aborted", false), sent: false, status: null };
    try {
      await limiter.take();
      const res = await pool.request({
        path: basePath + path,
        method,
        headers: { accept: "application/json", authorization: auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.body.text();
      const status = res.statusCode;
      if (status >= 200 && status < 300) outcome = { value: parseSuccessBody(text, operation, status), status };
      else if (status === 404 && n > 0 && okOn404) outcome = { value: undefined, status };
      else outcome = { error: coolifyFailure(operation, status, text, secrets), retryAfterMs: parseRetryAfter(res.headers["retry-after"]), sent: true, status };
    } catch (err) {
      outcome = transportFailure(operation, err, timeoutMs);
    } finally {
      release();
      const status = "status" in outcome ? outcome.status : null;
      const error = "error" in outcome ? outcome.error.code : undefined;
      options.onRequest?.({ method, path, status, durationMs: performance.now() - started, attempt: n, ...(error ? { error } : {}) });
    }
    return outcome;
  };

  return {
    async request(method, path, call = {}) {
      const fullPath = (path.startsWith("/") ? path : `/${path}`) + encodeQuery(call.query);
      const operation = `${options.label} ${method} ${path.replace(/^\/+/, "")}`;
      const body = call.body === undefined ? undefined : JSON.stringify(call.body);
      const retrySafe = method === "GET" || call.idempotent === true;
      for (let n = 0; ; n++) {
        const outcome = await attempt(method, fullPath, body, operation, n, call.notFoundOnRetryIsSuccess ?? false);
        if ("value" in outcome) return outcome.value;
        const { error } = outcome;
        if (!(error.retryable && (retrySafe || !outcome.sent) && n < retries)) throw error;
        let delay = Math.round(Math.random() * Math.min(maxBackoff, minBackoff * 2 ** n));
        if (outcome.retryAfterMs !== undefined) {
          if (outcome.retryAfterMs > maxRetryAfter) throw error;
          delay = Math.max(outcome.retryAfterMs, delay);
        }
        await realSleep(delay);
      }
    },
    close: () => pool.close(),
  };
}

/**
 * coolifyFailure maps a non-2xx answer, reading Coolify's `errors`, which comes in three shapes: an object of
 * string arrays, an object of strings, or a plain list (invalid domains).
 */
export function coolifyFailure(operation: string, status: number, text: string, secrets: readonly string[]): ProviderError {
  const base = failureFromResponse(operation, status, text, secrets);
  const fieldErrors = coolifyFieldErrors(text, secrets);
  if (!fieldErrors) return base;
  const fields = Object.entries(fieldErrors).map(([f, m]) => `${f || "(input)"}: ${m.join(", ")}`).join("; ");
  return new ProviderError({ code: base.code, operation, status, fieldErrors, retryable: base.retryable }, `${base.message.slice(operation.length + 2)}: ${fields}`);
}

/** The field errors of a Coolify error body, or undefined when it has none. */
export function coolifyFieldErrors(text: string, secrets: readonly string[]): FieldErrors | undefined {
  let errors: unknown;
  try {
    errors = (JSON.parse(text) as { errors?: unknown }).errors;
  } catch {
    return undefined;
  }
  const out: FieldErrors = {};
  const clean = (m: unknown) => sanitize(String(m), secrets);
  if (Array.isArray(errors)) out[""] = errors.map(clean);
  else if (typeof errors === "object" && errors !== null) {
    for (const [field, messages] of Object.entries(errors)) out[field] = Array.isArray(messages) ? messages.map(clean) : [clean(messages)];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function failure(operation: string, code: ProviderError["code"], message: string, retryable: boolean, cause?: unknown): ProviderError {
  return new ProviderError({ code, operation, retryable, cause }, message);
}

// Connection errors raised before the request left this process: retrying them cannot repeat a write.
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

function transportFailure(operation: string, err: unknown, timeoutMs: number): Outcome {
  const name = (err as { name?: string }).name;
  if (name === "TimeoutError" || name === "AbortError") {
    return { error: failure(operation, "http.timeout", `no answer within ${timeoutMs} ms`, true, err), sent: true, status: null };
  }
  let code: string | undefined;
  for (let e: unknown = err, d = 0; e && d < 4 && code === undefined; e = (e as { cause?: unknown }).cause, d++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === "string") code = c;
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { error: failure(operation, "http.network", `network error (${code ?? "unknown"}: ${detail})`, true, err), sent: !(code && NOT_SENT.has(code)), status: null };
}
