/**
 * The error bodies of Dokploy's REST layer (@dokploy/trpc-openapi plus Dokploy's errorFormatter), and the
 * `ApiError` that route handlers throw to produce them.
 */
import { z } from "zod";

/** tRPC error codes used by the simulator, with the HTTP status trpc-openapi maps them to. */
export const HTTP_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
} as const;

/** A tRPC error code. */
export type TrpcCode = keyof typeof HTTP_STATUS;

/** Thrown by handlers; the server turns it into the tRPC error body with the matching status. */
export class ApiError extends Error {
  readonly code: TrpcCode;
  constructor(code: TrpcCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Shorthand for the `<Thing> not found` 404 thrown by Dokploy's find* helpers. */
export function notFound(thing: string): ApiError {
  return new ApiError("NOT_FOUND", `${thing} not found`);
}

/**
 * The tRPC error body. `path` is the procedure (absent when no procedure matched, as for the route 404);
 * `zodError`/`issues` only on input validation failures.
 */
export function trpcErrorBody(code: TrpcCode, message: string, path?: string, zodError?: z.ZodError): Record<string, unknown> {
  const data: Record<string, unknown> = { code, httpStatus: HTTP_STATUS[code] };
  if (path !== undefined) data["path"] = path;
  data["zodError"] = zodError ? z.flattenError(zodError) : null;
  const body: Record<string, unknown> = { message, code, data };
  if (zodError) body["issues"] = zodError.issues;
  return body;
}

/** The 400 `Input validation failed` body with `issues` and `data.zodError.fieldErrors`. */
export function validationErrorBody(path: string, error: z.ZodError): Record<string, unknown> {
  return trpcErrorBody("BAD_REQUEST", "Input validation failed", path, error);
}

/** The 404 for an unknown path or a wrong method: no `data.path`. */
export function routeNotFoundBody(): Record<string, unknown> {
  return trpcErrorBody("NOT_FOUND", "Not found");
}

/** The plain 401 of Dokploy's `[...trpc].ts` guard: no `code`, no `data`. */
export const UNAUTHORIZED_BODY = { message: "Unauthorized" } as const;
