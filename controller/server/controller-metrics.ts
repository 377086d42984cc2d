/**
 * The controller's metrics (issue #4): one place names every series, so the loop, the Git source and the provider
 * clients record into the same prom-client registry that `/metrics` renders. Each controller has its own `Registry`
 * (never prom-client's global one), so several controllers in one process (the tests) keep separate counts.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The content type of the rendered metrics (text exposition format 0.0.4). */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** The outcome label of a reconcile. */
export type ReconcileResult = "success" | "failure" | "stalled" | "skipped";

/** ControllerMetrics holds the registry and the recording helpers the loop calls. */
export interface ControllerMetrics {
  /** The controller's own registry; other parts (commit statuses) register their series here. */
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
  /** stackctl_deployments_total{result} and stackctl_deployment_duration_seconds{result} (waited-for deployments only). */
  deployed(result: "succeeded" | "failed" | "timeout" | "unknown", seconds: number): void;
  /** render returns every series in the Prometheus text format (unscrubbed: the server scrubs response bodies). */
  render(): Promise<string>;
}

/** Durations in seconds from 5 ms to 2 min (reconciles, Git fetches). */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Deployment durations in seconds: 5 s to 30 min (builds take minutes). */
const DEPLOYMENT_BUCKETS = [5, 10, 30, 60, 120, 300, 600, 1200, 1800];

type Snapshot = () => { stacksByCondition: Record<string, number>; queueDepth: number };

/** createControllerMetrics registers the controller's series in a new registry. */
export function createControllerMetrics(): ControllerMetrics {
  const registry = new Registry();
  const registers = [registry];
  let snapshot: Snapshot | undefined;
  const reconciles = new Counter({ name: "stackctl_reconciles_total", help: "Reconciles by stack and result.", labelNames: ["stack", "result"], registers });
  const duration = new Histogram({ name: "stackctl_reconcile_duration_seconds", help: "Duration of reconciles in seconds.", buckets: SECONDS_BUCKETS, registers });
  new Gauge({
    name: "stackctl_stacks",
    help: "Stacks by summary condition.",
    labelNames: ["condition"],
    registers,
    collect() {
      if (!snapshot) return;
      this.reset(); // conditions no stack is in any more must disappear, not stay at their last count
      for (const [condition, n] of Object.entries(snapshot().stacksByCondition)) this.set({ condition }, n);
    },
  });
  const deployments = new Counter({ name: "stackctl_deployments_total", help: "Deployments the controller waited for, by result (succeeded, failed, timeout, unknown).", labelNames: ["result"], registers });
  const deploymentDuration = new Histogram({ name: "stackctl_deployment_duration_seconds", help: "From the deploy call to running (or failure), in seconds, by result.", labelNames: ["result"], buckets: DEPLOYMENT_BUCKETS, registers });
  const providerRequests = new Counter({ name: "stackctl_provider_requests_total", help: "Requests to each provider by status code.", labelNames: ["provider", "status"], registers });
  const fetchDuration = new Histogram({ name: "stackctl_git_fetch_duration_seconds", help: "Duration of Git fetches in seconds.", buckets: SECONDS_BUCKETS, registers });
  const fetchFailures = new Counter({ name: "stackctl_git_fetch_failures_total", help: "Failed Git fetches.", registers });
  new Gauge({
    name: "stackctl_queue_depth",
    help: "Stacks waiting in the work queue.",
    registers,
    collect() {
      if (snapshot) this.set(snapshot().queueDepth);
    },
  });
  registerMemoryGauges(registers);

  return {
    registry,
    reconciled(stack, result, seconds) {
      reconciles.inc({ stack, result });
      duration.observe(seconds);
    },
    providerRequest: (provider, status) => providerRequests.inc({ provider, status: String(status) }),
    gitFetched(seconds, ok) {
      fetchDuration.observe(seconds);
      if (!ok) fetchFailures.inc();
    },
    collect(fn) {
      snapshot = fn;
    },
    deployed(result, seconds) {
      deployments.inc({ result });
      deploymentDuration.observe({ result }, seconds);
    },
    // prom-client puts a blank line between families; dropping it keeps the output line-for-line what scrapers and
    // greps saw before (label values escape line feeds, so no sample holds one).
    render: async () => (await registry.metrics()).replace(/\n\n+/g, "\n"),
  };
}

/**
 * The three process series the controller has always exposed, under prom-client's default-metric names. Not
 * `collectDefaultMetrics`: that starts an event-loop monitor and GC observer per registry and adds some thirty series
 * per scrape that nobody asked for.
 */
function registerMemoryGauges(registers: Registry[]): void {
  const memory: [string, string, (m: NodeJS.MemoryUsage) => number][] = [
    ["process_resident_memory_bytes", "Resident memory size in bytes.", (m) => m.rss],
    ["nodejs_heap_size_used_bytes", "Process heap size used from Node.js in bytes.", (m) => m.heapUsed],
    ["nodejs_heap_size_total_bytes", "Process heap size from Node.js in bytes.", (m) => m.heapTotal],
  ];
  for (const [name, help, read] of memory) {
    new Gauge({ name, help, registers, collect() { this.set(read(process.memoryUsage())); } });
  }
}
