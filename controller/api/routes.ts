/**
 * The controller's management API, beside the status API: read the recent history of the stacks, and — with the
 * bearer token of `controller.api.token` — queue reconciles, suspend and resume stacks. Like the webhook receivers,
 * the endpoints that change anything answer 404 while no token is configured, and tokens are compared in
 * constant time. Handlers only enqueue and record; they never reconcile themselves.
 *
 *   GET  /api/v1/events                    every stack's recent reconciles, newest first
 *   GET  /api/v1/stacks/NAME/events        one stack's reconciles and last deployments
 *   POST /api/v1/reconcile                 queue every declared stack (and each target's sweep) now
 *   POST /api/v1/stacks/NAME/reconcile     queue one stack now
 *   POST /api/v1/stacks/NAME/suspend       pause a stack (recorded in the controller's state)
 *   POST /api/v1/stacks/NAME/resume        lift that pause (a manifest's spec.suspend still applies)
 */
import { verifyBearer } from "../server/hooks.ts";
import type { EventLog } from "./events.ts";
import type { SuspensionStore } from "./suspensions.ts";

/** What the API reads and drives in the controller. */
export interface ApiDeps {
  /** The bearer token mutating endpoints require; unset → they answer 404. */
  token?: string;
  /** Whether the revision in force declares the stack. */
  declared(name: string): boolean;
  /** Whether the stack's manifest suspends it (spec.suspend). */
  specSuspended(name: string): boolean;
  /** Queues a stack now. */
  enqueue(name: string): void;
  /** Queues every declared stack and sweep now; returns the stacks' names. */
  enqueueAll(): string[];
  suspensions: SuspensionStore;
  events: EventLog;
  now(): Date;
}

/** An API answer. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const STACK_ACTION = /^\/api\/v1\/stacks\/([^/]+)\/(events|reconcile|suspend|resume)$/;
const MUTATING = new Set(["reconcile", "suspend", "resume"]);

/** handleApi answers a management request, or returns undefined when `path` is not one of its endpoints. */
export async function handleApi(method: string, path: string, authorization: string | undefined, deps: ApiDeps): Promise<ApiResponse | undefined> {
  if (path === "/api/v1/events") return method === "GET" || method === "HEAD" ? { status: 200, body: { items: deps.events.all(200) } } : notAllowed();
  const match = STACK_ACTION.exec(path);
  const action = path === "/api/v1/reconcile" ? "reconcile-all" : match?.[2];
  if (action === undefined) return undefined;
  if (action === "events") return method === "GET" || method === "HEAD" ? stackEvents(match![1]!, deps) : notAllowed();
  if (method !== "POST") return notAllowed();
  const denied = authorize(authorization, deps.token);
  if (denied) return denied;
  if (action === "reconcile-all") {
    const requestedAt = deps.now().toISOString();
    const stacks = deps.enqueueAll();
    return { status: 202, body: { queued: stacks.length, stacks, requestedAt } };
  }
  let name: string;
  try {
    name = decodeURIComponent(match![1]!);
  } catch {
    return { status: 400, body: { error: { code: "http.bad-request" } } };
  }
  if (!MUTATING.has(action) || !deps.declared(name)) return { status: 404, body: { error: { code: "stack.not-found", subject: `stack/${name}` } } };
  return stackAction(action, name, deps);
}

function notAllowed(): ApiResponse {
  return { status: 405, body: { error: { code: "http.method-not-allowed" } } };
}

function authorize(authorization: string | undefined, token: string | undefined): ApiResponse | undefined {
  if (!token) return { status: 404, body: { error: { code: "http.not-found" } } };
  if (!verifyBearer(token, authorization)) return { status: 401, body: { error: { code: "api.unauthorized" } }, headers: { "www-authenticate": "Bearer" } };
  return undefined;
}

function stackEvents(encoded: string, deps: ApiDeps): ApiResponse {
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    return { status: 400, body: { error: { code: "http.bad-request" } } };
  }
  return { status: 200, body: { items: deps.events.of(name), deployments: deps.events.deployments(name) } };
}

async function stackAction(action: string, name: string, deps: ApiDeps): Promise<ApiResponse> {
  const subject = `stack/${name}`;
  if (action === "reconcile") {
    const requestedAt = deps.now().toISOString();
    deps.enqueue(name);
    return { status: 202, body: { subject, queued: true, requestedAt } };
  }
  if (action === "suspend") {
    const s = await deps.suspensions.suspend(name, deps.now());
    return { status: 200, body: { subject, suspended: true, since: s.since, specSuspended: deps.specSuspended(name) } };
  }
  const resumed = await deps.suspensions.resume(name);
  if (resumed) deps.enqueue(name);
  return { status: 200, body: { subject, suspended: deps.specSuspended(name), resumed, specSuspended: deps.specSuspended(name) } };
}
