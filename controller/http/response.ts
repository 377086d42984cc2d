/**
 * Turning an HTTP answer into a value or a ProviderError: JSON parsing that accepts empty bodies, extraction of the
 * server's message and field errors, sanitising of that message, Retry-After parsing, and validating a body against
 * the provider's schema of it (parseRow). Pure functions.
 */
import type { z } from "zod";
import { codeForStatus, describeHttpFailure, isRetryableStatus, ProviderError } from "./errors.ts";
import type { FieldErrors } from "./errors.ts";

const MAX_SERVER_MESSAGE = 300;

/** parseSuccessBody returns the JSON value of a 2xx body, or undefined for an empty one (Dokploy's deploy). */
export function parseSuccessBody(text: string, operation: string, status: number): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProviderError({ code: "http.bad-response", operation, status, retryable: false, cause }, `${status} answered a body that is not JSON`);
  }
}

/**
 * failureFromResponse builds the ProviderError of a non-2xx answer. `secrets` (the client's header values) are
 * scrubbed from whatever the server echoed, and a raw SQL `params:` list is cut, since it can hold request values.
 */
export function failureFromResponse(operation: string, status: number, text: string, secrets: readonly string[]): ProviderError {
  const body = tryJson(text);
  const fieldErrors = extractFieldErrors(body);
  const raw = typeof body === "object" && body !== null && typeof (body as { message?: unknown }).message === "string"
    ? (body as { message: string }).message
    : body === undefined && text.length > 0 && text.length <= 200 ? text : undefined;
  const serverMessage = raw === undefined ? undefined : sanitize(raw, secrets);
  const retryable = isRetryableStatus(status);
  const code = codeForStatus(status);
  return new ProviderError({ code, operation, status, fieldErrors, retryable }, describeHttpFailure(status, serverMessage, fieldErrors));
}

function tryJson(text: string): unknown {
  try {
    return text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Field errors from `data.zodError.fieldErrors`, else from zod `issues` (path joined with dots). */
export function extractFieldErrors(body: unknown): FieldErrors | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as { data?: { zodError?: { fieldErrors?: unknown } | null }; issues?: unknown };
  const fromZod = b.data?.zodError?.fieldErrors;
  const out: FieldErrors = {};
  if (typeof fromZod === "object" && fromZod !== null) {
    for (const [field, messages] of Object.entries(fromZod)) {
      if (Array.isArray(messages)) out[field] = messages.filter((m): m is string => typeof m === "string");
    }
  } else if (Array.isArray(b.issues)) {
    for (const issue of b.issues as { path?: unknown; message?: unknown }[]) {
      const field = Array.isArray(issue?.path) ? issue.path.join(".") : "";
      if (typeof issue?.message === "string") (out[field] ??= []).push(issue.message);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** sanitize removes secrets and SQL parameters from a server message and bounds its length. */
export function sanitize(message: string, secrets: readonly string[]): string {
  let text = message.replace(/\bparams:[\s\S]*$/i, "").replace(/\s+/g, " ").trim();
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join("<redacted>");
  return text.length > MAX_SERVER_MESSAGE ? `${text.slice(0, MAX_SERVER_MESSAGE)}…` : text;
}

/** parseRetryAfter reads a Retry-After header (delta seconds or an HTTP date) as milliseconds from `now`. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** parseRow validates an answer; a mismatch is an `http.bad-response` naming the call and the first bad path. */
export function parseRow<T extends z.ZodType>(schema: T, value: unknown, operation: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected shape";
  throw new ProviderError({ code: "http.bad-response", operation, retryable: false }, `unexpected answer (${where})`);
}
