/**
 * Builds the provider of each configured target. The only place that maps configuration to provider options.
 */
import type { RequestInfo } from "../controller/http/client.ts";
import type { Provider } from "../controller/provider.ts";
import { createCoolifyProvider } from "../controller/providers/coolify/index.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import { durationToMs } from "../controller/units.ts";
import type { ResolvedTarget } from "./config.ts";

/** Observer of every HTTP request a provider makes (for request counts and metrics). */
export type RequestObserver = (info: { target: string; method: string; path: string; status: number | null; durationMs: number; attempt: number }) => void;

/**
 * Requests the Coolify client may start back to back. With `requestsPerMinute` r, any 60-second window then holds
 * at most r + 10 requests: 190 with the default 180, under Coolify's default limit of 200 (a fixed window).
 */
export const COOLIFY_BURST = 10;

/** A Provider that can release its connections. */
export type ClosableProvider = Provider & { close(): Promise<void> };

/** createProvider returns the provider for `target`; `onRequest` sees every attempt of every request. */
export function createProvider(target: ResolvedTarget, onRequest?: RequestObserver): ClosableProvider {
  const t = target.config;
  const observe = onRequest ? { onRequest: (info: RequestInfo) => onRequest({ target: t.name, ...info }) } : {};
  const common = { url: t.url, timeoutMs: durationToMs(t.timeout), maxConcurrent: t.concurrency, ...observe };
  if (t.provider === "dokploy") {
    return createDokployProvider({ ...common, apiKey: target.credential, ...(t.requestsPerSecond ? { rateLimit: { requestsPerSecond: t.requestsPerSecond } } : {}) });
  }
  return createCoolifyProvider({
    ...common,
    token: target.credential,
    server: t.server,
    ...(t.destination ? { destination: t.destination } : {}),
    ...(target.fingerprintKey ? { fingerprintKey: target.fingerprintKey } : {}),
    rateLimit: { requestsPerMinute: t.requestsPerMinute, burst: COOLIFY_BURST, ...(t.requestsPerSecond ? { requestsPerSecond: t.requestsPerSecond } : {}) },
  });
}
