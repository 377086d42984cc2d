/**
 * The controller (`stackctl run`): it fetches the source every interval, on a webhook or on a file change, turns
 * each revision into a snapshot, and queues the stacks whose input changed; the work queue reconciles them one key
 * at a time, with per-stack backoff and a drift check every drift interval; a sweep per target tears down removed
 * stacks. One HTTP server reports health, readiness, metrics and status. A failed fetch keeps the last good
 * snapshot in force: nothing is ever deleted because a source is unreachable.
 */
import type { Logger } from "pino";
import type { TargetRuntime } from "../engine.ts";
import type { StackError } from "../errors.ts";
import { formatStackError } from "../errors.ts";
import { createScrubber } from "../scrub.ts";
import type { Scrubber } from "../scrub.ts";
import type { SecretResolver } from "../secrets.ts";
import type { PolicyConfig } from "../../specs/config.ts";
import type { ControllerMetrics } from "../server/controller-metrics.ts";
import { startControllerServer } from "../server/server.ts";
import type { SourceState } from "../server/server.ts";
import type { ManifestSource } from "../sources/source.ts";
import { createManagement } from "../api/management.ts";
import { conditionSummary } from "./conditions.ts";
import type { LoopContext } from "./context.ts";
import { sweepKey, targetOfSweepKey } from "./context.ts";
import type { DeploySettings } from "./deployments.ts";
import { compactHeap, compactPeriodically } from "./heap.ts";
import { createTargetLocks } from "./locks.ts";
import { createWorkQueue } from "./queue.ts";
import { reconcileStack } from "./reconcile.ts";
import { jittered } from "./schedule.ts";
import { buildSnapshot, changedStacks, declaredNames } from "./snapshot.ts";
import type { Snapshot } from "./snapshot.ts";
import { openStatusStore } from "./status.ts";
import { scrubbedStatusStore } from "./scrubbed-status.ts";
import { observedStatusStore } from "./observed-status.ts";
import { revisionEventOf } from "./revision-event.ts";
import type { RevisionObserver } from "../github/commit-statuses.ts";
import type { StackStatus } from "./status.ts";
import { sweepTarget } from "./sweep.ts";
import { systemTimers } from "./timers.ts";
import type { TimerHandle, Timers } from "./timers.ts";

/** Everything the controller needs; `cmd/run.ts` builds it from flags, environment and the config file. */
export interface ControllerOptions {
  instance: string;
  targets: readonly TargetRuntime[];
  source: ManifestSource;
  /** The branch webhooks must name (Git sources). */
  branch: string;
  pollIntervalMs: number;
  driftIntervalMs: number;
  /** How deployments are waited for and retried (default: loop/deployments.ts DEFAULT_DEPLOY_SETTINGS). */
  deploy?: DeploySettings;
  workers: number;
  allowMassDeletion: boolean;
  resolveSecret: SecretResolver;
  describeSecret: (name: string) => string;
  /** The operator's limits on manifests (ControllerConfig `policy`), enforced on every revision. */
  policy?: PolicyConfig;
  /**
   * The process's scrubber (credentials, and every secret `resolveSecret` returned): status, the status records, the
   * HTTP API and metrics pass through it; the logger is expected to have it too. Default: a new, empty one.
   */
  scrub?: Scrubber;
  /** The directory of per-stack status records. */
  statusDir: string;
  /** An earlier version's whole-fleet state file, carried over once when present. */
  legacyStatusFile?: string;
  listen: { host: string; port: number };
  hooks: { githubSecret?: string; bearerToken?: string };
  /** The management API's bearer token (`controller.api.token`); without one its mutating endpoints answer 404. */
  api?: { token?: string };
  /** The controller's runtime state (suspensions made through the API); in memory only when absent. */
  runtimeFile?: string;
  shutdownTimeoutMs: number;
  logger: Logger;
  metrics: ControllerMetrics;
  timers?: Timers;
  random?: () => number;
  /** Told of every new revision and every stack status change (commit statuses); must return at once. */
  revisions?: RevisionObserver;
}

/** A running controller. */
export interface RunningController {
  /** The HTTP server's address. */
  url: string;
  /** stop stops taking work, lets work in flight finish within the shutdown timeout; resolves true if it did. */
  stop(): Promise<boolean>;
}

/** startController opens the status store, starts the server and the first fetch; see the file comment. */
export async function startController(opts: ControllerOptions): Promise<RunningController> {
  const timers = opts.timers ?? systemTimers;
  const random = opts.random ?? Math.random;
  const scrub = opts.scrub ?? createScrubber();
  const store = await openStatusStore({
    dir: opts.statusDir,
    ...(opts.legacyStatusFile ? { legacyFile: opts.legacyStatusFile } : {}),
    now: () => timers.now(),
    onQuarantine: (q) => opts.logger.error({ file: q.file, movedTo: q.movedTo, problem: q.problem }, "unusable status record moved aside: the stack starts from the servers' markers"),
  });
  const scrubbed = scrubbedStatusStore(store, scrub);
  const observer = opts.revisions;
  const status = observer ? observedStatusStore(scrubbed, (name, s) => observer.statusChanged(name, s)) : scrubbed;
  const abort = new AbortController();
  const targetErrors = new Map<string, StackError>();
  const pendingFirst = new Set<string>();
  const source: SourceState = { kind: opts.source.kind, subject: opts.source.subject, revision: null, lastFetchAt: null, lastError: null };
  let current: Snapshot | null = null;
  /** When the manifests were last read (see rereadDue). */
  let builtAt = 0;
  let stopping = false;
  const management = await createManagement({
    ...(opts.api?.token ? { token: opts.api.token } : {}),
    ...(opts.runtimeFile ? { runtimeFile: opts.runtimeFile } : {}),
    now: () => timers.now(),
    declared: (name) => current !== null && (current.stacks.has(name) || current.failed.has(name)),
    specSuspended: (name) => current?.stacks.get(name)?.suspend === true,
    status: (name) => status.get(name),
    enqueue: (name) => queue.enqueue(name),
    enqueueAll() {
      const names = current ? [...declaredNames(current)] : [];
      for (const name of names) queue.enqueue(name);
      for (const t of opts.targets) queue.enqueue(sweepKey(t.name));
      return names;
    },
    onProblem: (message) => opts.logger.error({ error: message }, "runtime state unusable: no stack is paused"),
  });

  const ctx: LoopContext = {
    instance: opts.instance,
    targets: new Map(opts.targets.map((t) => [t.name, t])),
    snapshot: () => current,
    status,
    locks: createTargetLocks(),
    metrics: opts.metrics,
    logger: opts.logger,
    scrub,
    timers,
    random,
    driftIntervalMs: opts.driftIntervalMs,
    ...(opts.deploy ? { deploy: opts.deploy } : {}),
    allowMassDeletion: opts.allowMassDeletion,
    signal: abort.signal,
    applied: new Map(),
    enqueue: (key) => queue.enqueue(key),
    runtimeSuspension: (name) => management.suspensions.get(name),
    pausedStacks: () => management.suspensions.names(),
    onApplyEvent: (event) => management.onApplyEvent(event),
    targetContact(target, error) {
      if (error) targetErrors.set(target, error);
      else targetErrors.delete(target);
    },
  };

  const queue = createWorkQueue({
    workers: opts.workers,
    timers,
    random,
    async handler(key) {
      try {
        const target = targetOfSweepKey(key);
        return target === null ? await management.recordRun(key, () => reconcileStack(ctx, key)) : await sweepTarget(ctx, target);
      } finally {
        const wasPending = pendingFirst.delete(key);
        // The first sync's garbage would stay resident until V8 nears its limit: give it back once, and after sweeps.
        if ((wasPending && pendingFirst.size === 0) || targetOfSweepKey(key) !== null) compactHeap();
      }
    },
    onError: (key, err, delayMs) => opts.logger.warn({ key, error: err instanceof Error ? err.message : String(err), retryInMs: delayMs }, "will retry"),
  });

  const refresher = createRefresher(async (reason) => {
    const started = timers.now();
    let fetched;
    try {
      fetched = await opts.source.fetch();
    } catch (err) {
      source.lastError = err instanceof Error ? err.message : String(err);
      if (opts.source.kind === "git") opts.metrics.gitFetched((timers.now() - started) / 1000, false);
      opts.logger.warn({ source: opts.source.subject, reason, error: source.lastError }, "fetch failed: keeping the last good revision");
      return;
    }
    if (opts.source.kind === "git") opts.metrics.gitFetched((timers.now() - started) / 1000, true);
    Object.assign(source, { revision: fetched.revision, lastFetchAt: new Date(timers.now()).toISOString(), lastError: null });
    if (reason === "interval" && !rereadDue(fetched.revision)) return;
    try {
      builtAt = timers.now();
      const next = await buildSnapshot(fetched.dir, fetched.revision, { targets: opts.targets.map((t) => t.name), resolveSecret: opts.resolveSecret, describeSecret: opts.describeSecret, ...(opts.policy ? { policy: opts.policy } : {}) });
      if (!stopping) schedule(current, next, reason);
    } catch (err) {
      // Reading the checkout failed as a whole: keep the snapshot in force, as for a failed fetch.
      source.lastError = `reading ${fetched.dir}: ${err instanceof Error ? err.message : String(err)}`;
      opts.logger.error({ revision: fetched.revision, error: source.lastError }, "could not read the manifests: keeping the last good revision");
    }
  });

  /**
   * Whether a periodic fetch that found `revision` reads the manifests again. A new revision always; the same one once
   * per drift interval, which is when secrets read from files or the environment are looked at again: reading and
   * parsing every manifest at each fetch (every minute) cost seconds of CPU and tens of MiB of garbage at 10,000
   * stacks for a tree known to be unchanged. Webhooks and watch events always read.
   */
  function rereadDue(revision: string): boolean {
    return current?.revision !== revision || timers.now() - builtAt >= opts.driftIntervalMs;
  }

  function schedule(previous: Snapshot | null, next: Snapshot, reason: string): void {
    const changed = changedStacks(previous, next);
    const declared = declaredNames(next);
    const removed = previous ? [...declaredNames(previous)].filter((n) => !declared.has(n)) : [];
    current = next;
    if (previous?.revision !== next.revision) opts.logger.info({ revision: next.revision, reason, changed: changed.length, removed }, "new revision");
    for (const e of next.unattributed) opts.logger.error({ revision: next.revision, error: e }, "manifest error (teardown suspended)");
    if (previous === null) for (const name of declared) pendingFirst.add(name);
    if (previous?.revision !== next.revision) opts.revisions?.revisionInForce(revisionEventOf(previous, next, changed), (name) => status.get(name));
    for (const name of changed) if (declared.has(name)) queue.enqueue(name);
    if (previous === null || removed.length > 0) {
      for (const t of opts.targets) {
        if (previous === null) pendingFirst.add(sweepKey(t.name));
        queue.enqueue(sweepKey(t.name));
      }
    }
  }

  let pollTimer: TimerHandle | undefined;
  const poll = (): void => {
    pollTimer = timers.setTimeout(() => {
      void refresher.run("interval").finally(() => !stopping && poll());
    }, jittered(opts.pollIntervalMs, random));
  };

  const server = await startControllerServer({
    host: opts.listen.host,
    port: opts.listen.port,
    logger: opts.logger,
    scrub,
    routes: {
      stacks: () => management.decorate(status.list()),
      source: () => ({ ...source }),
      ready: () => readiness(current, source, targetErrors, pendingFirst, status.saveError()),
      metrics: () => opts.metrics.render(),
    },
    hooks: { ...opts.hooks, branch: opts.branch, onTrigger: (reason) => void refresher.run(reason) },
    api: (method, path, authorization) => management.api(method, path, authorization),
  });
  opts.metrics.collect(() => ({ stacksByCondition: countByCondition(status.list()), queueDepth: queue.depth() }));
  opts.logger.info({ url: server.url, source: opts.source.subject, targets: opts.targets.map((t) => t.name) }, "listening");

  const unwatch = opts.source.watch
    ? await opts.source.watch(() => void refresher.run("change"), (err) => opts.logger.warn({ error: String(err) }, "watch error"))
    : null;
  void refresher.run("start").finally(() => !stopping && poll());
  const stopCompacting = compactPeriodically(timers);

  return {
    url: server.url,
    async stop() {
      stopping = true;
      opts.revisions?.stop();
      timers.clearTimeout(pollTimer);
      stopCompacting();
      abort.abort();
      await unwatch?.();
      const finished = await queue.stop({ timeoutMs: opts.shutdownTimeoutMs });
      await status.flush().catch((err: unknown) => opts.logger.error({ error: String(err) }, "could not save status"));
      await server.close();
      return finished;
    },
  };
}

/** Runs refreshes one at a time; a request while one runs makes exactly one more run afterwards. */
function createRefresher(refresh: (reason: string) => Promise<void>): { run(reason: string): Promise<void> } {
  let running: Promise<void> | null = null;
  let again: string | null = null;
  const loop = async (reason: string): Promise<void> => {
    let next: string | null = reason;
    while (next !== null) {
      const r = next;
      again = null;
      await refresh(r);
      next = again;
    }
    running = null;
  };
  return {
    run(reason) {
      if (running) {
        again = reason;
        return running;
      }
      running = loop(reason);
      return running;
    },
  };
}

function readiness(current: Snapshot | null, source: SourceState, targetErrors: Map<string, StackError>, pending: Set<string>, saveError: string | null): { ready: boolean; reason?: string } {
  if (saveError) return { ready: false, reason: `status cannot be saved: ${saveError}` };
  if (source.lastError) return { ready: false, reason: `source: ${source.lastError}` };
  if (!current) return { ready: false, reason: "waiting for the first revision" };
  const down = [...targetErrors.values()];
  if (down.length > 0) return { ready: false, reason: down.map(formatStackError).join("; ") };
  if (pending.size > 0) return { ready: false, reason: `first sync in progress (${pending.size} left)` };
  return { ready: true };
}

function countByCondition(statuses: readonly StackStatus[]): Record<string, number> {
  const counts: Record<string, number> = { Ready: 0, Reconciling: 0, Stalled: 0, Failed: 0, Unknown: 0 };
  for (const s of statuses) counts[conditionSummary(s.conditions)]! += 1;
  return counts;
}
