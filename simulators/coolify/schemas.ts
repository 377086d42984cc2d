/**
 * Request validation from Coolify's own OpenAPI document (trimmed copy in contract/, see its README): every JSON
 * body is checked with ajv against the operation's request schema, so a client cannot send what the document
 * rules out. Coolify also has strict allow-lists (unknown keys → 422 "This field is not allowed."), which the
 * document does not state; they are derived from the schema's properties. Where the document is known to be
 * wrong (Coolify's code behaves otherwise), the code's behaviour wins, as marked CODE below.
 * The document is imported as a JSON module, so the compiler copies it into dist/ beside this file.
 */
import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import spec from "./contract/coolify-openapi.json" with { type: "json" };

/** 422 `errors`: field → messages, Laravel's shape. */
export type FieldErrors = Record<string, string[]>;

interface Operation {
  validate: ValidateFunction;
  allowed: Set<string> | null;
  /** Item allow-list, for the bulk env body. */
  itemAllowed?: Set<string>;
}

type Schema = { required?: string[]; properties?: Record<string, Schema>; items?: Schema; [k: string]: unknown };

// CODE: the env var controllers accept these keys (`is_runtime`/`is_buildtime` since beta.427, `comment` ≤ 256),
// though the document's env schemas do not list them.
const ENV_EXTRAS: Record<string, Schema> = {
  is_runtime: { type: "boolean" },
  is_buildtime: { type: "boolean" },
  comment: { type: "string", maxLength: 256, nullable: true },
};
const ENV_OPERATIONS = new Set(["post /applications/{uuid}/envs", "patch /applications/{uuid}/envs"]);
const CREATE_OPERATIONS = new Set(["post /applications/public", "post /applications/dockerfile", "post /applications/dockerimage"]);

/** Compiles every operation with a JSON request body; keyed `method path-template`. */
function compile(): Map<string, Operation> {
  const doc = spec as unknown as { components?: unknown; paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>> };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const out = new Map<string, Operation>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const original = op?.requestBody?.content?.["application/json"]?.schema;
      if (!original) continue;
      const key = `${method} ${path}`;
      const schema = structuredClone(original);
      let itemAllowed: Set<string> | undefined;
      if (CREATE_OPERATIONS.has(key)) {
        // CODE: the document requires both environment_name and environment_uuid; the code needs either (422 otherwise).
        schema.required = (schema.required ?? []).filter((r) => r !== "environment_name" && r !== "environment_uuid");
      }
      if (ENV_OPERATIONS.has(key)) Object.assign((schema.properties ??= {}), ENV_EXTRAS);
      if (key === "patch /applications/{uuid}/envs/bulk") {
        const items = schema.properties?.data?.items;
        if (items) Object.assign((items.properties ??= {}), ENV_EXTRAS);
        // CODE: unknown keys inside bulk items are silently ignored, not rejected.
        itemAllowed = new Set(Object.keys(items?.properties ?? {}));
      }
      const allowed = schema.properties ? new Set(Object.keys(schema.properties)) : null;
      // `#/components/...` references resolve against the schema root, so the components travel with each schema.
      out.set(key, { validate: ajv.compile({ ...schema, components: doc.components }), allowed, ...(itemAllowed ? { itemAllowed } : {}) });
    }
  }
  return out;
}

let operations: Map<string, Operation> | undefined;

/** Whether the document declares a JSON body for this operation. */
export function hasBody(method: string, template: string): boolean {
  operations ??= compile();
  return operations.has(`${method.toLowerCase()} ${template}`);
}

/** validateBody checks `body` against the operation's schema and allow-list; null when it passes. */
export function validateBody(method: string, template: string, body: Record<string, unknown>): FieldErrors | null {
  operations ??= compile();
  const op = operations.get(`${method.toLowerCase()} ${template}`);
  if (!op) return null;
  const errors: FieldErrors = {};
  if (op.allowed) for (const key of Object.keys(body)) if (!op.allowed.has(key)) (errors[key] ??= []).push("This field is not allowed.");
  // Unknown keys are already told by the allow-list ("This field is not allowed."), as Coolify tells them.
  if (!op.validate(body)) for (const e of op.validate.errors ?? []) if (e.keyword !== "additionalProperties") (errors[fieldOf(e)] ??= []).push(messageOf(e));
  return Object.keys(errors).length > 0 ? errors : null;
}

/** Keys of a bulk env item that Coolify keeps (others are dropped silently). */
export function bulkItemKeys(): Set<string> {
  operations ??= compile();
  return operations.get("patch /applications/{uuid}/envs/bulk")?.itemAllowed ?? new Set();
}

function fieldOf(e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, "").replace(/\//g, ".");
  if (e.keyword === "required") return path ? `${path}.${String(e.params.missingProperty)}` : String(e.params.missingProperty);
  return path;
}

/** Laravel-like texts: "The name field is required.", "The name field must be a string." */
function messageOf(e: ErrorObject): string {
  const field = fieldOf(e).replace(/_/g, " ");
  switch (e.keyword) {
    case "required": return `The ${field} field is required.`;
    case "type": return `The ${field} field must be ${e.params.type === "integer" ? "an integer" : e.params.type === "array" ? "an array" : `a ${String(e.params.type)}`}.`;
    case "enum": return `The selected ${field} is invalid.`;
    case "maxLength": return `The ${field} field must not be greater than ${String(e.params.limit)} characters.`;
    default: return `The ${field} field is invalid (${e.message ?? e.keyword}).`;
  }
}
