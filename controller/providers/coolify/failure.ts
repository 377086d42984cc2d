/**
 * Coolify's error answers as ProviderErrors. Coolify has no single error format (see the provider notes): `errors`
 * comes as an object of string arrays, an object of strings or a plain list; a 409 on domains lists the conflicting
 * resources in `conflicts`; and its 401/403 texts need a hint of their own (the shared ones speak of Dokploy keys).
 */
import { codeForStatus, isRetryableStatus, ProviderError } from "../../http/errors.ts";
import type { FieldErrors } from "../../http/errors.ts";
import { sanitize } from "../../http/response.ts";

interface ErrorBody {
  message?: unknown;
  errors?: unknown;
  conflicts?: unknown;
}

const HINTS: Record<number, string> = {
  401: "the API token was rejected: it is wrong, expired or revoked (a Coolify token reads <id>|<secret>)",
  403: "the token lacks an ability (read, write, deploy) or its user is not an admin or owner of the team",
};
const API_DISABLED_HINT = "turn on API access in Coolify's Settings";

/** coolifyFailure maps a non-2xx answer; nothing the server echoed can carry one of `secrets`. */
export function coolifyFailure(operation: string, status: number, text: string, secrets: readonly string[]): ProviderError {
  const body = parse(text);
  const clean = (m: unknown) => sanitize(String(m), secrets);
  const fieldErrors = coolifyFieldErrors(body, clean);
  const conflicts = describeConflicts(body.conflicts, clean);
  const said = typeof body.message === "string" ? clean(body.message) : text.length > 0 && text.length <= 200 && !text.trimStart().startsWith("{") ? clean(text) : "";
  const hint = said === "API is disabled." ? API_DISABLED_HINT : HINTS[status];
  // "Use force_domain_override=true" is advice for API users; a stackctl user needs the conflicting resource.
  const code = codeForStatus(status);
  const head = conflicts ? "domain already in use" : [said, hint].filter(Boolean).join("; ") || code.slice("http.".length).replace("-", " ");
  const details = conflicts ?? (fieldErrors ? Object.entries(fieldErrors).map(([f, m]) => `${f || "(input)"}: ${m.join(", ")}`).join("; ") : "");
  const retryable = isRetryableStatus(status);
  return new ProviderError({ code, operation, status, fieldErrors, retryable }, `${status} ${head}${details ? `: ${details}` : ""}`);
}

function parse(text: string): ErrorBody {
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === "object" && body !== null ? (body as ErrorBody) : {};
  } catch {
    return {};
  }
}

/** The field errors of a Coolify error body (the three shapes of `errors`), or undefined when it has none. */
function coolifyFieldErrors(body: ErrorBody, clean: (m: unknown) => string): FieldErrors | undefined {
  const errors = body.errors;
  const out: FieldErrors = {};
  if (Array.isArray(errors)) out[""] = errors.map(clean);
  else if (typeof errors === "object" && errors !== null) {
    for (const [field, messages] of Object.entries(errors)) out[field] = Array.isArray(messages) ? messages.map(clean) : [clean(messages)];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `https://a.example.com:80 is used by application 'legacy' (uuid …)`, one per conflict; undefined when none. */
function describeConflicts(conflicts: unknown, clean: (m: unknown) => string): string | undefined {
  if (!Array.isArray(conflicts) || conflicts.length === 0) return undefined;
  return conflicts
    .map((c: { domain?: unknown; resource_type?: unknown; resource_name?: unknown; resource_uuid?: unknown }) =>
      `${clean(c.domain)} is used by ${clean(c.resource_type ?? "resource")} '${clean(c.resource_name)}' (uuid ${clean(c.resource_uuid)})`)
    .join("; ");
}
