/**
 * Limits of the controller's HTTP server against slow or hostile clients (issue #9): a client must send its headers
 * and its whole request in bounded time, an idle keep-alive connection is closed soon, and the number of open
 * connections is capped, so trickling connections cannot exhaust the process.
 */
import type { Server } from "node:http";

/** The server's limits; every field has a default (SERVER_LIMITS). */
export interface ServerLimits {
  /** Time to receive the request headers. */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; further ones are closed at once. */
  maxConnections: number;
  /** How often Node checks the header and request timeouts (its default, 30 s, would let them run late). */
  checkIntervalMs: number;
}

/** The defaults: generous for probes, scrapers and GitHub, short for a client that trickles bytes. */
export const SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
  checkIntervalMs: 1_000,
};

/** serverOptions are the createServer options that carry the limits (the timeout check interval). */
export function serverOptions(limits: ServerLimits): { connectionsCheckingInterval: number; requestTimeout: number; headersTimeout: number; keepAliveTimeout: number } {
  return {
    connectionsCheckingInterval: limits.checkIntervalMs,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

/** applyServerLimits sets the limits that are properties of the server rather than options. */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.maxConnections = limits.maxConnections;
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
}
