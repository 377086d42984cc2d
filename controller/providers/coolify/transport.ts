/**
 * The Coolify provider's HTTP transport: the shared client (`http/client.ts`) with Coolify's bearer token and its
 * error bodies. Retries, rate limiting, timeouts and the in-flight bound are the shared client's.
 */
import { createHttpClient } from "../../http/client.ts";
import type { CallOptions, HttpMethod, RequestInfo } from "../../http/client.ts";
import type { RateLimit } from "../../http/limit.ts";
import { coolifyFailure } from "./failure.ts";

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
  // Laravel's throttle answers 429 before any controller runs, and /deploy's "queue full" 429 queued nothing: even
  // a create answered 429 did not happen, so it is retried after Retry-After instead of failing the stack.
  const client = createHttpClient({ ...rest, headers: { authorization: `Bearer ${token}` }, secrets: [token], mapFailure: coolifyFailure, unprocessedStatuses: [429] });
  return { request: (method, path, call) => client.request(method, path, call), close: () => client.close() };
}
