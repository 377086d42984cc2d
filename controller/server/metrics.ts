/**
 * A tiny Prometheus registry: counters, gauges and histograms with labels, rendered in the text exposition format
 * 0.0.4 (`# HELP` / `# TYPE` lines, escaped label values, cumulative `le` buckets). Written here rather than added as
 * a dependency because the controller needs a handful of series, not a client library.
 */

/** Label values by label name. */
export type Labels = Record<string, string>;

/** The content type of `render()`'s output. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** A monotonically increasing count. */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

/** A value that goes up and down. */
export interface Gauge {
  set(labels: Labels, value: number): void;
  inc(labels?: Labels, by?: number): void;
  /** reset drops every series, e.g. before re-setting `stacks by condition` from scratch. */
  reset(): void;
}

/** A distribution of observations in fixed buckets. */
export interface Histogram {
  observe(labels: Labels, value: number): void;
}

/** Registry owns metrics and renders them; `onCollect` hooks run before each render to refresh gauges. */
export interface Registry {
  counter(name: string, help: string): Counter;
  gauge(name: string, help: string): Gauge;
  /** `buckets` are upper bounds, ascending; `+Inf` is added. Default: DEFAULT_BUCKETS (seconds). */
  histogram(name: string, help: string, buckets?: number[]): Histogram;
  onCollect(fn: () => void): void;
  render(): string;
}

/** DEFAULT_BUCKETS suits durations in seconds from 5 ms to 2 min. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

type Kind = "counter" | "gauge" | "histogram";

interface Family {
  name: string;
  help: string;
  kind: Kind;
  lines(): string[];
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** createRegistry returns an empty registry. Names and label names are validated; duplicates throw. */
export function createRegistry(): Registry {
  const families = new Map<string, Family>();
  const collectors: (() => void)[] = [];

  function add<T>(name: string, help: string, kind: Kind, lines: () => string[], metric: T): T {
    if (!NAME_RE.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
    if (families.has(name)) throw new Error(`metric ${name} registered twice`);
    families.set(name, { name, help, kind, lines });
    return metric;
  }

  return {
    counter(name, help) {
      const series = new Map<string, { labels: Labels; value: number }>();
      const counter: Counter = {
        inc(labels = {}, by = 1) {
          if (by < 0) throw new Error(`counter ${name} cannot decrease`);
          bump(series, labels, by);
        },
      };
      return add(name, help, "counter", () => sampleLines(name, series), counter);
    },
    gauge(name, help) {
      const series = new Map<string, { labels: Labels; value: number }>();
      const gauge: Gauge = {
        set: (labels, value) => void series.set(seriesKey(labels), { labels, value }),
        inc: (labels = {}, by = 1) => bump(series, labels, by),
        reset: () => series.clear(),
      };
      return add(name, help, "gauge", () => sampleLines(name, series), gauge);
    },
    histogram(name, help, buckets = DEFAULT_BUCKETS) {
      const h = createHistogram(name, buckets);
      return add(name, help, "histogram", () => h.lines(), { observe: h.observe } as Histogram);
    },
    onCollect: (fn) => void collectors.push(fn),
    render() {
      for (const fn of collectors) fn();
      const out: string[] = [];
      for (const f of families.values()) {
        out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.kind}`, ...f.lines());
      }
      return out.length ? `${out.join("\n")}\n` : "";
    },
  };
}

function createHistogram(name: string, buckets: number[]): Histogram & { lines(): string[] } {
  const bounds = [...buckets].sort((a, b) => a - b);
  const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  return {
    observe(labels, value) {
      const key = seriesKey(labels);
      const s = series.get(key) ?? { labels, counts: bounds.map(() => 0), sum: 0, count: 0 };
      bounds.forEach((b, i) => {
        if (value <= b) s.counts[i] = (s.counts[i] ?? 0) + 1;
      });
      s.sum += value;
      s.count += 1;
      series.set(key, s);
    },
    lines() {
      const out: string[] = [];
      for (const s of series.values()) {
        bounds.forEach((b, i) => out.push(sample(`${name}_bucket`, { ...s.labels, le: formatValue(b) }, s.counts[i] ?? 0)));
        out.push(sample(`${name}_bucket`, { ...s.labels, le: "+Inf" }, s.count));
        out.push(sample(`${name}_sum`, s.labels, s.sum), sample(`${name}_count`, s.labels, s.count));
      }
      return out;
    },
  };
}

function bump(series: Map<string, { labels: Labels; value: number }>, labels: Labels, by: number): void {
  const key = seriesKey(labels);
  const s = series.get(key) ?? { labels, value: 0 };
  s.value += by;
  series.set(key, s);
}

function seriesKey(labels: Labels): string {
  for (const k of Object.keys(labels)) if (!LABEL_RE.test(k)) throw new Error(`invalid label name ${JSON.stringify(k)}`);
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function sampleLines(name: string, series: Map<string, { labels: Labels; value: number }>): string[] {
  return [...series.values()].map((s) => sample(name, s.labels, s.value));
}

function sample(name: string, labels: Labels, value: number): string {
  const entries = Object.entries(labels);
  const body = entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",");
  return `${name}${entries.length ? `{${body}}` : ""} ${formatValue(value)}`;
}

/** escapeLabel escapes a label value: backslash, double quote and line feed (format 0.0.4). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}
