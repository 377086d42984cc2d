/**
 * The Coolify provider's HTTP transport: the shared client (`http/client.ts`) with Coolify's bearer token and its
 * error bodies. Retries, rate limiting, timeouts and the in-flight bound are the shared client's.
 */
import { createHttpClient } from "../../http/client.ts";
import type { CallOptions, HttpMethod, RequestInfo } from "../../http/client.ts";
import { ProviderError } from "../../http/errors.ts";
import type { FieldErrors } from "../../http/errors.ts";
import type { RateLimit } from "../../http/limit.ts";
import { failureFromResponse, sanitize } from "../../http/response.ts";

/** The HTTP methods Coolify's API uses. */
export type Method = Extract<HttpMethod, "GET" | "POST" | "PATCH" | "DELETE">;

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
  onRequest?: (info: RequestInfo) => void;
}

export type { CallOptions };

/** A JSON transport bound to one Coolify instance. Results are parsed JSON (undefined when empty). */
export interface Transport {
  request(method: Method, path: string, options?: CallOptions): Promise<unknown>;
  close(): Promise<void>;
}

/** createTransport builds the transport; the bearer token is never put into errors. */
export function createTransport(options: TransportOptions): Transport {
  const { token, ...rest } = options;
  const client = createHttpClient({ ...rest, headers: { authorization: `Bearer ${token}` }, secrets: [token], mapFailure: coolifyFailure });
  return { request: (method, path, call) => client.request(method, path, call), close: () => client.close() };
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
