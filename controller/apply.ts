/**
 * apply(): the only code that writes. It executes a Plan in its three phases — projects (each created or adopted
 * once, when the first stack that needs it gets there), the stacks in parallel (bounded), each in plan order but
 * with its applications configured at once (apply-order.ts), then project deletions — and reports per stack what it did.
 * One stack's failure stops that stack only; every error is collected with its subject. A failed create is never
 * retried here: the next reconcile observes and decides, which is what keeps a crash from duplicating anything.
 */
import { runStackChanges } from "./apply-order.ts";
import type { StartedDeployment } from "./deploy/stack.ts";
import { waitForStack } from "./deploy/stack.ts";
import type { DeploymentTicket } from "./deploy/types.ts";
import type { DeploymentReport, WaitPolicy } from "./deploy/wait.ts";
import type { StackError } from "./errors.ts";
import { errorMessage } from "./errors.ts";
import type { EnvironmentRef, Provider } from "./provider.ts";
import type { Change, ChangeAction, EnvRefs, Plan, Ref, StackMode, StackPlan } from "./plan/types.ts";

/** What happened to one stack. `unchanged` had nothing to do; `skipped` was not applied (refused or blocked). */
export interface StackResult {
  stack: string;
  mode: StackMode;
  status: "unchanged" | "applied" | "failed" | "skipped";
  created: number;
  updated: number;
  adopted: number;
  deleted: number;
  deployed: string[];
  /** How each deployment ended, when apply waited for them (`ApplyOptions.wait`). */
  deployments?: DeploymentReport[];
  errors: StackError[];
}

/** The outcome of applying a plan. */
export interface ApplyResult {
  target: string;
  refused: boolean;
  stacks: StackResult[];
  /** Errors of the project phases (creation, adoption, cleanup). */
  errors: StackError[];
  /** The changes that succeeded, by action, over all phases: counted as `countChanges` counts the plan. */
  counts: Record<ChangeAction, number>;
}

/**
 * Progress notifications: one start/done pair per stack and per change (`stack` is null for the project phases),
 * and, while deployments are waited for, progress and a final outcome per deployed application. Renderers (the
 * CLI's progress lines, the controller's status) consume these; apply never prints.
 */
export type ApplyEvent =
  | { type: "stack-start"; stack: string; changes: number }
  | { type: "stack-done"; result: StackResult }
  | { type: "change-start"; stack: string | null; change: Change }
  | { type: "change-done"; stack: string | null; change: Change; elapsedMs: number; error?: StackError }
  | { type: "deploy-progress"; stack: string; app: string; subject: string; status: string; elapsedMs: number }
  | { type: "deploy-done"; stack: string; app: string; subject: string; outcome: DeployOutcome; elapsedMs: number; message?: string };

/** How a waited-for deployment ended: finished and running, failed (build, start or health), or still going at the timeout. */
export type DeployOutcome = "succeeded" | "failed" | "timeout" | "unknown";

/** Options of applyPlan. */
export interface ApplyOptions {
  /** Stacks applied at once (default 4). */
  concurrency?: number;
  onEvent?: (event: ApplyEvent) => void;
  /** When aborted, no further change starts; the ones in flight finish. */
  signal?: AbortSignal;
  /** Wait for each stack's deployments to end and its applications to run (absent: return once they are started). */
  wait?: WaitPolicy;
}

/** applyPlan executes `plan` against `provider`. A refused plan writes nothing. */
export async function applyPlan(plan: Plan, provider: Provider, options: ApplyOptions = {}): Promise<ApplyResult> {
  const counts: Record<ChangeAction, number> = { create: 0, update: 0, delete: 0, deploy: 0, adopt: 0 };
  const result: ApplyResult = { target: plan.target, refused: plan.refused, stacks: [], errors: [...plan.errors], counts };
  if (plan.refused) {
    result.stacks = plan.stacks.map((s) => ({ ...emptyResult(s), status: "skipped", errors: s.errors }));
    return result;
  }
  const ids = new Map<string, string>();
  // A project is created (or adopted) when the first stack that needs it gets there, and the stacks sharing it wait
  // for that one change: stacks in projects of their own no longer queue behind every other project.
  const projectRuns = new Map<string, Promise<StackError | undefined>>();
  const projectChanges = new Map(plan.projects.map((c) => [c.subject, c]));
  const ensureProject: ProjectGate = (subject) => {
    const change = projectChanges.get(subject);
    if (!change) return Promise.resolve(undefined);
    let running = projectRuns.get(subject);
    if (!running) {
      running = runObserved(change, null, provider, ids, options).then((error) => {
        if (error) result.errors.push(error);
        else counts[change.action] += 1;
        return error;
      });
      projectRuns.set(subject, running);
    }
    return running;
  };
  result.stacks = await mapBounded(plan.stacks, options.concurrency ?? 4, (stack) => applyStack(stack, provider, ids, ensureProject, options));
  await Promise.all(plan.projects.map((c) => ensureProject(c.subject))); // adoptions no stack change waited for
  for (const s of result.stacks) {
    counts.create += s.created;
    counts.update += s.updated;
    counts.adopt += s.adopted;
    counts.delete += s.deleted;
    counts.deploy += s.deployed.length;
  }
  if (result.stacks.some((s) => s.status === "failed")) return result;
  for (const change of plan.cleanup) {
    const error = await runObserved(change, null, provider, ids, options);
    if (error) result.errors.push(error);
    else counts[change.action] += 1;
  }
  return result;
}

function emptyResult(stack: StackPlan): StackResult {
  return { stack: stack.stack, mode: stack.mode, status: "unchanged", created: 0, updated: 0, adopted: 0, deleted: 0, deployed: [], errors: [] };
}

/** Runs the project change `subject` names once (later callers wait for the same run); resolves with its error. */
type ProjectGate = (subject: string) => Promise<StackError | undefined>;

async function applyStack(stack: StackPlan, provider: Provider, ids: Map<string, string>, ensureProject: ProjectGate, options: ApplyOptions): Promise<StackResult> {
  const result = emptyResult(stack);
  if (stack.errors.length > 0) return { ...result, status: "failed", errors: stack.errors };
  if (stack.changes.length === 0) return result;
  options.onEvent?.({ type: "stack-start", stack: stack.stack, changes: stack.changes.length });
  const started: StartedDeployment[] = [];
  const run = async (change: Change): Promise<StackError | undefined> => {
    const project = projectOf(change);
    const blocked = project !== undefined && (await ensureProject(project)) !== undefined;
    return blocked ? { code: "apply.blocked", subject: change.subject, message: `${project} could not be created or adopted` } : runObserved(change, stack.stack, provider, ids, options, started);
  };
  result.errors.push(...(await runStackChanges(stack.changes, run, (change) => count(result, change))));
  if (options.wait && started.length > 0) {
    const waited = await waitForStack(provider, stack.stack, started, options.wait, options.onEvent);
    result.deployments = waited.reports;
    result.errors.push(...waited.errors);
  }
  result.status = result.errors.length > 0 ? "failed" : "applied";
  options.onEvent?.({ type: "stack-done", result });
  return result;
}

function projectOf(change: Change): string | undefined {
  const op = change.operation;
  if (op.op === "createEnvironment") return op.project.subject;
  if (op.op === "createApplication" || op.op === "updateEnvironment") return op.env.project.subject;
  return undefined;
}

function count(result: StackResult, change: Change): void {
  if (change.action === "create") result.created += 1;
  if (change.action === "update") result.updated += 1;
  if (change.action === "adopt") result.adopted += 1;
  if (change.action === "delete") result.deleted += 1;
  if (change.action === "deploy") result.deployed.push(change.subject);
}

/** runObserved runs one change between its change-start and change-done events. */
async function runObserved(change: Change, stack: string | null, provider: Provider, ids: Map<string, string>, options: ApplyOptions, deployments?: StartedDeployment[]): Promise<StackError | undefined> {
  options.onEvent?.({ type: "change-start", stack, change });
  const started = performance.now();
  const error = await runChange(change, provider, ids, options.signal, deployments);
  options.onEvent?.({ type: "change-done", stack, change, elapsedMs: performance.now() - started, ...(error ? { error } : {}) });
  return error;
}

/** Runs one change; returns the error instead of throwing so the caller decides whether to go on. */
async function runChange(change: Change, provider: Provider, ids: Map<string, string>, signal?: AbortSignal, started?: StartedDeployment[]): Promise<StackError | undefined> {
  if (signal?.aborted) return { code: "apply.aborted", subject: change.subject, message: "not started: the process is stopping" };
  try {
    const ticket = await execute(change, provider, ids);
    if (ticket) started?.push({ subject: change.subject, ticket });
    return undefined;
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === "string" ? (err as { code: string }).code : "apply.failed";
    return { code, subject: change.subject, message: `${change.action} ${change.kind} failed: ${errorMessage(err)}` };
  }
}

function resolve(ref: Ref, ids: Map<string, string>): string {
  const id = ref.id ?? ids.get(ref.subject);
  if (id === undefined) throw new Error(`${ref.subject} does not exist yet (an earlier step failed)`);
  return id;
}

function envRef(refs: EnvRefs, ids: Map<string, string>): EnvironmentRef {
  return { projectId: resolve(refs.project, ids), environmentId: resolve(refs.environment, ids), environmentName: refs.environmentName };
}

async function execute(change: Change, provider: Provider, ids: Map<string, string>): Promise<DeploymentTicket | void> {
  const op = change.operation;
  switch (op.op) {
    case "createProject": {
      const created = await provider.createProject(op.name, op.description);
      ids.set(change.subject, created.id);
      if (created.defaultEnvironment) ids.set(`${change.subject} env/${created.defaultEnvironment.name}`, created.defaultEnvironment.id);
      return;
    }
    case "updateProject": return provider.updateProject(op.id, op.description);
    case "deleteProject": return provider.deleteProject(op.id);
    case "createEnvironment": {
      // The platform made the default environment with the project: mark it instead of creating a twin.
      if (ids.has(change.subject)) {
        const env: EnvironmentRef = { projectId: resolve(op.project, ids), environmentId: ids.get(change.subject)!, environmentName: op.name };
        return provider.updateEnvironment(env, op.description);
      }
      const created = await provider.createEnvironment(resolve(op.project, ids), op.name, op.description);
      ids.set(change.subject, created.id);
      return;
    }
    case "updateEnvironment": return provider.updateEnvironment(envRef(op.env, ids), op.description);
    case "deleteEnvironment": return provider.deleteEnvironment(envRef(op.env, ids));
    case "createApplication": {
      const created = await provider.createApplication(envRef(op.env, ids), op.name, op.description, op.spec);
      ids.set(change.subject, created.id);
      return;
    }
    case "updateApplication": return provider.updateApplication(op.id, op.spec, op.fields, op.description);
    case "deleteApplication": return provider.deleteApplication(op.id);
    case "createDomain": {
      await provider.createDomain(resolve(op.app, ids), op.domain);
      return;
    }
    case "updateDomain": return provider.updateDomain(op.appId, op.domainId, op.domain);
    case "deleteDomain": return provider.deleteDomain(op.appId, op.domainId);
    case "deployApplication": return provider.deployApplication(resolve(op.app, ids));
  }
}

/** mapBounded maps with at most `limit` calls in flight, keeping the input order in the output. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
