/**
 * Errors of provider HTTP calls. Every failure a provider reports is a ProviderError with a stable `code` that
 * callers and tests switch on, and a message that names the operation (e.g. `dokploy application.update`) but
 * never carries the API key, request bodies or env values.
 */

/** The stable codes of ProviderError. */
export type ProviderErrorCode =
  | "http.unauthorized"
  | "http.forbidden"
  | "http.not-found"
  | "http.bad-request"
  | "http.conflict"
  | "http.rate-limited"
  | "http.server-error"
  | "http.timeout"
  | "http.network"
  | "http.bad-response"
  | "http.aborted";

/** Field → messages, as reported by a server's input validation (Dokploy: `data.zodError.fieldErrors`). */
export type FieldErrors = Record<string, string[]>;

/** Options of a ProviderError. */
export interface ProviderErrorInit {
  code: ProviderErrorCode;
  /** The operation the error concerns, e.g. `dokploy application.update`. */
  operation: string;
  status?: number;
  fieldErrors?: FieldErrors;
  retryable: boolean;
  cause?: unknown;
}

/** A failed provider call. `message` already names the operation; `fieldErrors` is set for validation errors. */
export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly operation: string;
  readonly status: number | undefined;
  readonly fieldErrors: FieldErrors | undefined;
  readonly retryable: boolean;

  constructor(init: ProviderErrorInit, message: string) {
    super(`${init.operation}: ${message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ProviderError";
    this.code = init.code;
    this.operation = init.operation;
    this.status = init.status;
    this.fieldErrors = init.fieldErrors;
    this.retryable = init.retryable;
  }
}

/** isProviderError narrows an unknown thrown value, optionally to one code. */
export function isProviderError(err: unknown, code?: ProviderErrorCode): err is ProviderError {
  return err instanceof ProviderError && (code === undefined || err.code === code);
}

const STATUS_CODES: Record<number, ProviderErrorCode> = {
  400: "http.bad-request",
  401: "http.unauthorized",
  403: "http.forbidden",
  404: "http.not-found",
  409: "http.conflict",
  422: "http.bad-request",
  429: "http.rate-limited",
};

/** The ProviderError code for an HTTP status outside 2xx. */
export function codeForStatus(status: number): ProviderErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 ? "http.server-error" : "http.bad-request");
}

/** Statuses after which a read or an idempotent write is retried. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

// Fixed explanations. A bare "Unauthorized" does not tell an operator that Dokploy also answers 401 once a key's
// own rate limit (10 calls a day unless disabled) is spent, so 401 and 403 always carry a hint.
const HINTS: Partial<Record<ProviderErrorCode, string>> = {
  "http.unauthorized":
    "the API key was rejected: it is wrong, expired or revoked, or its own rate limit is spent " +
    "(Dokploy answers 401 then; create keys with rate limiting off, as the UI does)",
  "http.forbidden": "the API key's user lacks the permission for this call",
};
// Used only when the server said nothing more specific.
const FALLBACKS: Partial<Record<ProviderErrorCode, string>> = {
  "http.not-found": "not found",
  "http.rate-limited": "rate limited by the server",
  "http.server-error": "server error",
  "http.conflict": "conflict",
  "http.bad-request": "bad request",
};
// Generic texts that add nothing to the hint.
const REDUNDANT = new Set(["unauthorized", "forbidden"]);

/**
 * describeHttpFailure builds the message text for a non-2xx answer: status, a fixed hint for auth errors, the
 * server's (already sanitised) message, then field errors as `field: message` pairs.
 */
export function describeHttpFailure(status: number, serverMessage: string | undefined, fieldErrors?: FieldErrors): string {
  const code = codeForStatus(status);
  const said = serverMessage && !REDUNDANT.has(serverMessage.trim().toLowerCase()) ? serverMessage : undefined;
  // A specific 401 ("You are not authorized to …") means the key worked but the object is another organisation's.
  const hint = code === "http.unauthorized" && said ? "the API key's organisation has no access to this object" : HINTS[code];
  const words = (said ? [said, hint] : [hint ?? FALLBACKS[code]]).filter((w) => w !== undefined);
  let text = `${status} ${words.join("; ")}`.trim();
  const fields = formatFieldErrors(fieldErrors);
  if (fields) text += `: ${fields}`;
  return text;
}

/** formatFieldErrors renders `{env: ["Required"]}` as `env: Required`; empty when there are none. */
export function formatFieldErrors(fieldErrors: FieldErrors | undefined): string {
  if (!fieldErrors) return "";
  return Object.entries(fieldErrors)
    .map(([field, messages]) => `${field || "(input)"}: ${messages.join(", ")}`)
    .join("; ");
}
