/**
 * Typed access to Coolify's REST API (`/api/v1`) over the transport: reads validated by a zod schema, and writes
 * with their retry policy (creates and deploys once; updates and deletes retried, a delete's 404 on a retry done).
 */
import type { z } from "zod";
import type { Query } from "../../http/client.ts";
import { parseRow } from "../../http/response.ts";
import type { Method, Transport } from "./transport.ts";

/** The label that starts every error message of this provider. */
export const LABEL = "coolify";

/** read GETs `path` and validates the answer. */
export async function read<T extends z.ZodType>(http: Transport, path: string, schema: T, query?: Query): Promise<z.infer<T>> {
  return parseRow(schema, await http.request("GET", path, { query }), `${LABEL} GET ${path}`);
}

/** How a write may be retried. */
export type WriteKind = "create" | "update" | "delete" | "once";

/** write sends a POST, PATCH or DELETE and returns the raw answer. */
export function write(http: Transport, method: Exclude<Method, "GET">, path: string, kind: WriteKind, body?: unknown, query?: Query): Promise<unknown> {
  return http.request(method, path, { body, query, idempotent: kind === "update" || kind === "delete", notFoundOnRetryIsSuccess: kind === "delete" });
}
