/**
 * Builds the provider of each configured target. The only place that maps configuration to provider options.
 */
import type { Provider } from "../controller/provider.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import { durationToMs } from "../controller/units.ts";
import type { ResolvedTarget } from "./config.ts";

/** Observer of every HTTP request a provider makes (for request counts and metrics). */
export type RequestObserver = (info: { target: string; method: string; path: string; status: number | null; durationMs: number }) => void;

/** createProvider returns the provider for `target`. */
export function createProvider(target: ResolvedTarget, onRequest?: RequestObserver): Provider {
  const t = target.config;
  return createDokployProvider({
    url: t.url,
    apiKey: target.apiKey,
    timeoutMs: durationToMs(t.timeout),
    maxConcurrent: t.concurrency,
    ...(t.requestsPerSecond ? { rateLimit: { requestsPerSecond: t.requestsPerSecond } } : {}),
    ...(onRequest ? { onRequest: (info: { method: string; path: string; status: number | null; durationMs: number }) => onRequest({ target: t.name, ...info }) } : {}),
  });
}
