/**
 * Thin typed access to Dokploy's REST procedures (`GET /api/<router>.<proc>` for queries, `POST` for mutations)
 * over the shared HTTP client, with the answer validated by a zod schema.
 */
import type { z } from "zod";
import type { HttpClient, Query } from "../../http/client.ts";
import { parseRow } from "../../http/response.ts";
import { wrote } from "./shared-reads.ts";

/** The label that starts every error message of this provider. */
export const LABEL = "dokploy";

/** query calls a Dokploy query procedure (retried on transient failures) and validates its answer. */
export async function query<T extends z.ZodType>(http: HttpClient, proc: string, input: Query | undefined, schema: T): Promise<z.infer<T>> {
  return parseRow(schema, await http.get(proc, input), `${LABEL} ${proc}`);
}

/** How a mutation may be retried: creates and deploys never are; deletes treat a 404 on a retry as done. */
export type MutationKind = "create" | "update" | "delete" | "once";

/** mutate calls a Dokploy mutation procedure and returns its raw answer. */
export function mutate(http: HttpClient, proc: string, body: Record<string, unknown>, kind: MutationKind): Promise<unknown> {
  const idempotent = kind === "update" || kind === "delete";
  const sent = http.post(proc, body, { idempotent, notFoundOnRetryIsSuccess: kind === "delete" });
  // Failed or not, the server may have changed: no read started before this may be shared after it (shared-reads.ts).
  sent.then(() => wrote(http), () => wrote(http));
  return sent;
}

/** create calls a creating mutation (sent once) and returns the id column `key` of the new row. */
export async function create(http: HttpClient, proc: string, body: Record<string, unknown>, key: string, schema: z.ZodType): Promise<string> {
  const row = parseRow(schema, await mutate(http, proc, body, "create"), `${LABEL} ${proc}`) as Record<string, unknown>;
  return row[key] as string;
}
