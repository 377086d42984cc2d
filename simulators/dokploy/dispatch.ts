/**
 * One authenticated `/api/<router>.<procedure>` call, as @dokploy/trpc-openapi handles it: match the procedure
 * (case-insensitive; method by kind), check the POST content type, validate the input with zod, run the handler and
 * turn the result or the error into status + body. Pure apart from the store, so it is easy to test.
 */
import { ApiError, HTTP_STATUS, routeNotFoundBody, trpcErrorBody, validationErrorBody } from "./errors.ts";
import { PROCEDURES } from "./routes/index.ts";
import type { DokployStore } from "./store.ts";

/** What the HTTP layer writes back. `body` undefined means an empty body. */
export interface SimResponse {
  status: number;
  body: unknown;
  contentType: string | null;
}

/** A request after the body was read and, for JSON, parsed. */
export interface SimRequest {
  method: string;
  /** Path after `/api/`, e.g. `project.one`. */
  procedure: string;
  query: URLSearchParams;
  contentType: string | undefined;
  /** Parsed JSON body, or undefined when there was none / it was not JSON. */
  body: unknown;
}

const json = (status: number, body: unknown): SimResponse => ({ status, body, contentType: "application/json" });

/** Query-string input: repeated keys become arrays (trpc-openapi's rule); values stay strings for zod to coerce. */
function queryInput(query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

/** The 415 trpc-openapi gives for a POST that is not JSON (message text copied, unbalanced quote included). */
function contentTypeError(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return "Missing content-type header";
  const media = contentType.split(";")[0]?.trim() ?? "";
  return media === "application/json" ? undefined : `Unsupported content-type "${media}`;
}

/** Handles one call; never throws. */
export async function dispatch(store: DokployStore, req: SimRequest): Promise<SimResponse> {
  const proc = PROCEDURES.get(req.procedure.toLowerCase());
  if (!proc || req.method !== (proc.kind === "query" ? "GET" : "POST")) return json(404, routeNotFoundBody());
  if (proc.kind === "mutation") {
    const problem = contentTypeError(req.contentType);
    if (problem) return json(415, trpcErrorBody("UNSUPPORTED_MEDIA_TYPE", problem, proc.path));
  }
  const raw = proc.kind === "query" ? queryInput(req.query) : (req.body ?? {});
  const parsed = proc.input.safeParse(raw);
  if (!parsed.success) return json(400, validationErrorBody(proc.path, parsed.error));
  try {
    return json(200, await proc.handler(parsed.data, store));
  } catch (err) {
    if (err instanceof ApiError) return json(HTTP_STATUS[err.code], trpcErrorBody(err.code, err.message, proc.path));
    const message = err instanceof Error ? err.message : String(err);
    return json(500, trpcErrorBody("INTERNAL_SERVER_ERROR", message, proc.path));
  }
}
