/**
 * The simulator's routing: `/api/v1` path templates with `{param}` segments, handlers that return status + body
 * or throw HttpError, and the JSON checks of Coolify's validateIncomingRequest plus the OpenAPI body validation
 * (schemas.ts) before a handler with a body runs.
 */
import { hasBody, validateBody } from "./schemas.ts";
import type { FieldErrors } from "./schemas.ts";
import type { CoolifyStore } from "./store.ts";

/** What a handler receives. `body` is the JSON object after TrimStrings and ConvertEmptyStringsToNull. */
export interface RouteContext {
  store: CoolifyStore;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The body as sent, before Laravel's middleware rewrote it (for "was the key present" checks). */
  raw: Record<string, unknown>;
}

/** A handler's answer. */
export interface RouteResult { status: number; body: unknown; headers?: Record<string, string> }

/** One route. */
export interface Route { method: string; template: string; handler(ctx: RouteContext): RouteResult }

/** Thrown by handlers: becomes `status` with `body`. */
export class HttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(typeof body === "object" && body && "message" in body ? String((body as { message: unknown }).message) : `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** The 422 of Laravel's validator: `{message: "Validation failed.", errors}` (errors may also be a plain list, or strings by field). */
export function validationError(errors: FieldErrors | Record<string, string> | string[]): HttpError {
  return new HttpError(422, { message: "Validation failed.", errors });
}

/** A `{message}` 404. */
export function notFound(message: string): HttpError {
  return new HttpError(404, { message });
}

/** Trims every string and turns "" into null, recursively (TrimStrings + ConvertEmptyStringsToNull). */
export function laravelInput(value: unknown): unknown {
  if (typeof value === "string") return value.trim() === "" ? null : value.trim();
  if (Array.isArray(value)) return value.map(laravelInput);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, laravelInput(v)]));
  return value;
}

function match(template: string, path: string): Record<string, string> | null {
  const t = template.split("/");
  const p = path.split("/");
  if (t.length !== p.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i]!;
    if (seg.startsWith("{")) params[seg.slice(1, -1)] = decodeURIComponent(p[i]!);
    else if (seg !== p[i]) return null;
  }
  return params;
}

/** dispatch routes one authenticated request (path relative to `/api/v1`); never throws. */
export function dispatch(routes: readonly Route[], store: CoolifyStore, method: string, path: string, query: URLSearchParams, contentType: string | undefined, text: string): RouteResult {
  // Literal segments win over parameters (`/projects/{uuid}/environments` before `/projects/{uuid}/{env}`).
  const candidates = routes.map((r) => ({ r, params: match(r.template, path) })).filter((c) => c.params !== null);
  const params = (t: string) => t.split("{").length;
  candidates.sort((a, b) => params(a.r.template) - params(b.r.template));
  if (candidates.length === 0) return { status: 404, body: { message: "Not found.", docs: "https://coolify.io/docs" } };
  const found = candidates.find((c) => c.r.method === method);
  if (!found) {
    if (method === "GET" && candidates.some((c) => c.r.method === "POST")) return { status: 405, body: { message: "This endpoint has changed to a POST request." }, headers: { allow: "POST" } };
    return { status: 405, body: { message: "Method not allowed." } };
  }
  try {
    let raw: Record<string, unknown> = {};
    if (hasBody(method, found.r.template)) {
      raw = parseBody(contentType, text);
      const errors = validateBody(method, found.r.template, raw);
      if (errors) throw validationError(errors);
    }
    return found.r.handler({ store, params: found.params!, query, raw, body: laravelInput(raw) as Record<string, unknown> });
  } catch (err) {
    if (err instanceof HttpError) return { status: err.status, body: err.body };
    return { status: 500, body: { message: `Server Error: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

/** validateIncomingRequest: JSON content type, valid JSON, a non-empty object. */
function parseBody(contentType: string | undefined, text: string): Record<string, unknown> {
  const invalid = (error: string) => new HttpError(400, { message: "Invalid request.", error });
  if (!contentType?.toLowerCase().startsWith("application/json")) throw invalid("Content-Type must be application/json.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid("Invalid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body) || Object.keys(body).length === 0) throw invalid("Empty JSON.");
  return body as Record<string, unknown>;
}
