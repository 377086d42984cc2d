/**
 * How a route file declares a tRPC procedure: its kind (query → GET, mutation → POST), its zod input schema and
 * its handler. Handlers throw ApiError for tRPC errors; returning undefined gives Dokploy's empty 200 body.
 */
import { z } from "zod";
import type { DokployStore } from "./store.ts";

/** One procedure of a router. */
export interface Procedure<S extends z.ZodType = z.ZodType> {
  kind: "query" | "mutation";
  input: S;
  handler(input: z.output<S>, store: DokployStore): unknown;
}

/** A router: procedure name → procedure. */
export type Router = Record<string, Procedure>;

/** A query (GET, input from the query string). */
export function query<S extends z.ZodType>(input: S, handler: (input: z.output<S>, store: DokployStore) => unknown): Procedure {
  return { kind: "query", input, handler } as Procedure;
}

/** A mutation (POST, JSON body). */
export function mutation<S extends z.ZodType>(input: S, handler: (input: z.output<S>, store: DokployStore) => unknown): Procedure {
  return { kind: "mutation", input, handler } as Procedure;
}

// Input building blocks. trpc-openapi coerces every number and boolean field, in bodies too: "8080" becomes 8080,
// "false" becomes true, and an omitted required boolean becomes false (recordings #55, #73).

/** A non-empty id string. */
export const id = () => z.string().min(1);
/** A `string | null` field that must be present (zod `.required()` on a nullable column). */
export const presentNullable = () => z.string().nullable().optional().nonoptional();
/** An optional `string | null` column. */
export const optNullable = () => z.string().nullable().optional();
/** A required boolean, coerced, so that omitting it means false. */
export const reqBool = () => z.coerce.boolean().default(false);
/** An optional boolean, coerced when present. */
export const optBool = () => z.coerce.boolean().optional();
/** An optional number, coerced when present; null allowed. */
export const optNumber = () => z.coerce.number().nullable().optional();
/** An object schema that strips unknown keys (zod's default, as in Dokploy). */
export const input = <T extends z.ZodRawShape>(shape: T) => z.object(shape);
