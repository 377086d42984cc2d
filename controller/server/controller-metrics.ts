/**
 * The controller's metrics (issue #4): one place names every series, so the loop, the Git source and the provider
 * clients record into the same registry that `/metrics` renders.
 */
import { createRegistry } from "./metrics.ts";
import type { Counter, Gauge, Histogram, Registry } from "./metrics.ts";

/** The outcome label of a reconcile. */
export type ReconcileResult = "success" | "failure" | "stalled" | "skipped";

/** ControllerMetrics holds the registry and the recording helpers the loop calls. */
export interface ControllerMetrics {
  registry: Registry;
  /**
   * stackctl_reconciles_total{stack,result} and stackctl_reconcile_duration_seconds (one histogram for all stacks:
   * one per stack was 17 series each, 170,000 lines and megabytes per scrape at 10,000 stacks).
   */
  reconciled(stack: string, result: ReconcileResult, seconds: number): void;
  /** stackctl_provider_requests_total{provider,status}; `status` is the HTTP code or an error class (`network`). */
  providerRequest(provider: string, status: number | string): void;
  /** stackctl_git_fetch_duration_seconds and, on failure, stackctl_git_fetch_failures_total. */
  gitFetched(seconds: number, ok: boolean): void;
  /**
   * collect registers a callback run on every scrape, returning the current stacks by condition
   * (`{ Ready: 3, Stalled: 1 }`) and queue depth; gauges are refreshed from it so they are never stale.
   */
  collect(fn: () => { stacksByCondition: Record<string, number>; queueDepth: number }): void;
  render(): string;
}

/** createControllerMetrics registers the controller's series in a new registry. */
export function createControllerMetrics(): ControllerMetrics {
  const registry = createRegistry();
  const reconciles: Counter = registry.counter("stackctl_reconciles_total", "Reconciles by stack and result.");
  const duration: Histogram = registry.histogram("stackctl_reconcile_duration_seconds", "Duration of reconciles in seconds.");
  const stacks: Gauge = registry.gauge("stackctl_stacks", "Stacks by summary condition.");
  const providerRequests = registry.counter("stackctl_provider_requests_total", "Requests to each provider by status code.");
  const fetchDuration = registry.histogram("stackctl_git_fetch_duration_seconds", "Duration of Git fetches in seconds.");
  const fetchFailures = registry.counter("stackctl_git_fetch_failures_total", "Failed Git fetches.");
  const queueDepth = registry.gauge("stackctl_queue_depth", "Stacks waiting in the work queue.");
  const resident = registry.gauge("process_resident_memory_bytes", "Resident memory size in bytes.");
  const heapUsed = registry.gauge("nodejs_heap_size_used_bytes", "Process heap size used from Node.js in bytes.");
  const heapTotal = registry.gauge("nodejs_heap_size_total_bytes", "Process heap size from Node.js in bytes.");
  registry.onCollect(() => {
    const m = process.memoryUsage();
    resident.set({}, m.rss);
    heapUsed.set({}, m.heapUsed);
    heapTotal.set({}, m.heapTotal);
  });

  return {
    registry,
    reconciled(stack, result, seconds) {
      reconciles.inc({ stack, result });
      duration.observe({}, seconds);
    },
    providerRequest: (provider, status) => providerRequests.inc({ provider, status: String(status) }),
    gitFetched(seconds, ok) {
      fetchDuration.observe({}, seconds);
      if (!ok) fetchFailures.inc();
    },
    collect(fn) {
      registry.onCollect(() => {
        const now = fn();
        stacks.reset();
        for (const [condition, n] of Object.entries(now.stacksByCondition)) stacks.set({ condition }, n);
        queueDepth.set({}, now.queueDepth);
      });
    },
    render: () => registry.render(),
  };
}
