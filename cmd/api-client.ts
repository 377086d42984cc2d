/**
 * The CLI's client of the controller's HTTP API (`get`, `reconcile`, `suspend`, `resume`, `events`): where the
 * controller is (`--server`, default http://127.0.0.1:8080), the bearer token (`--token` or STACKCTL_API_TOKEN),
 * and every answer checked with zod. Errors name the server and say what to do.
 */
import { z } from "zod";
import { stackStatusSchema } from "../controller/loop/status-schema.ts";
import { createScrubber } from "../controller/scrub.ts";
import type { CliIO } from "./io.ts";

/** The default address of `stackctl run`'s server. */
export const DEFAULT_SERVER = "http://127.0.0.1:8080";

/** The options every API verb takes, for `parseArgs`. */
export const API_OPTIONS = {
  server: { type: "string" },
  token: { type: "string" },
  output: { type: "string", short: "o" },
  help: { type: "boolean", default: false },
} as const;

/** Where and how to reach the controller. */
export interface ApiTarget {
  server: string;
  token?: string;
}

/** A failed API call; `code` is stable and `exit` is the verb's exit code for it. */
export class ApiCallError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ApiCallError";
    this.code = code;
  }
}

/** apiTarget reads --server and --token (or STACKCTL_SERVER / STACKCTL_API_TOKEN). */
export function apiTarget(values: { server?: string; token?: string }, env: CliIO["env"]): ApiTarget {
  const server = (values.server ?? env.STACKCTL_SERVER ?? DEFAULT_SERVER).replace(/\/+$/, "");
  const token = values.token ?? env.STACKCTL_API_TOKEN;
  return token ? { server, token } : { server };
}

/** scrubbedFor wraps `io` so that the token never reaches the output, whatever echoes it. */
export function scrubbedFor(io: CliIO, target: ApiTarget): CliIO {
  const scrub = createScrubber([target.token]);
  return { ...io, stdout: (t) => io.stdout(scrub.text(t)), stderr: (t) => io.stderr(scrub.text(t)) };
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), subject: z.string().optional() }) });

/** A stack's status as the API serves it. */
export const ServedStatusSchema = stackStatusSchema.extend({ runtimeSuspended: z.object({ since: z.string() }).optional() });
export type ServedStatus = z.infer<typeof ServedStatusSchema>;

/** The list of stacks. */
export const StackListSchema = z.object({ items: z.array(ServedStatusSchema) });

/** One reconcile event. */
export const EventSchema = z.object({
  stack: z.string(),
  startedAt: z.string(),
  at: z.string(),
  durationMs: z.number(),
  outcome: z.enum(["succeeded", "failed", "stalled", "skipped"]),
  reason: z.string(),
  message: z.string(),
  revision: z.string().nullable(),
  plan: z.object({ create: z.number(), update: z.number(), delete: z.number(), deploy: z.number(), adopt: z.number() }).nullable(),
});
export type StackEventBody = z.infer<typeof EventSchema>;

/** A stack's history. */
export const StackEventsSchema = z.object({
  items: z.array(EventSchema),
  deployments: z.array(z.object({ subject: z.string(), at: z.string(), outcome: z.string(), message: z.string().optional() })).default([]),
});

/** call sends one request and returns the body checked against `schema`; throws ApiCallError with advice. */
export async function call<T>(target: ApiTarget, method: "GET" | "POST", path: string, schema: z.ZodType<T>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${target.server}${path}`, { method, headers: target.token ? { authorization: `Bearer ${target.token}` } : {}, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new ApiCallError("api.unreachable", `cannot reach the controller at ${target.server}: ${cause?.code ?? cause?.message ?? (err as Error).message} (is 'stackctl run' listening there? --server URL)`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiCallError("api.bad-response", `${target.server}${path}: HTTP ${res.status}, not JSON: is this a stackctl controller?`);
  }
  if (!res.ok) throw failure(res.status, json, target, method === "POST");
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiCallError("api.bad-response", `${target.server}${path}: unexpected answer: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function failure(status: number, json: unknown, target: ApiTarget, mutating: boolean): ApiCallError {
  const body = ErrorBody.safeParse(json);
  const code = body.success ? body.data.error.code : `http.${status}`;
  if (code === "stack.not-found") return new ApiCallError(code, `${body.success ? body.data.error.subject : "the stack"}: the controller does not know it (not declared in the revision in force, or not reconciled yet)`);
  if (status === 401) return new ApiCallError("api.unauthorized", `the controller at ${target.server} refused the token${target.token ? "" : " (none given: --token or STACKCTL_API_TOKEN)"}`);
  if (status === 404 && code === "http.not-found" && mutating) return new ApiCallError("api.disabled", `the controller at ${target.server} has no API token configured (controller.api.token): reconcile, suspend and resume are disabled`);
  return new ApiCallError(code, `${target.server}: HTTP ${status} [${code}]`);
}
