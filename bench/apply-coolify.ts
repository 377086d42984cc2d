/**
 * Benchmark: a cold apply, then a no-op reconcile, of N stacks of 3 applications against the Coolify simulator with
 * its rate limit on (`stackctl dev-server coolify --rate-limit R`, a separate process, a few ms of latency per
 * request). Each row names the server's limit and the client's; the table counts requests, the 429s the server
 * answered (all seen by the client and retried, never reaching the caller) and the stacks that failed.
 * Usage: node bench/apply-coolify.ts [STACKS:SERVER_PER_MIN:CLIENT_PER_MIN ...]
 * (default 100:3000:2700 100:1200:2400 10:200:180; the last is Coolify's default limit, and takes a while).
 */
import { applyPlan } from "../controller/apply.ts";
import type { RequestInfo } from "../controller/http/client.ts";
import { buildDesired } from "../controller/desired.ts";
import { planTargets } from "../controller/engine.ts";
import { createCoolifyProvider } from "../controller/providers/coolify/index.ts";
import { COOLIFY_BURST } from "../cmd/providers.ts";
import { benchStacks, seconds, startDevServer } from "./common.ts";

const LATENCY_MS = 3;

interface Row {
  stacks: number;
  serverPerMinute: number;
  clientPerMinute: number;
}

interface Counts {
  requests: number;
  throttled: number;
  retried: number;
}

async function measure(row: Row) {
  const sim = await startDevServer(["coolify", "--latency-ms", String(LATENCY_MS), "--rate-limit", String(row.serverPerMinute)]);
  const counts: Counts = { requests: 0, throttled: 0, retried: 0 };
  const onRequest = (info: RequestInfo) => {
    counts.requests += 1;
    if (info.status === 429) counts.throttled += 1;
    if (info.attempt > 0) counts.retried += 1;
  };
  // As `provider: coolify` configures it: the client's limit with bursts of 10, four requests in flight.
  const provider = createCoolifyProvider({ url: sim.url, token: "1|sim-token", server: "localhost", rateLimit: { requestsPerMinute: row.clientPerMinute, burst: COOLIFY_BURST }, onRequest });
  const desired = buildDesired(benchStacks(row.stacks), { targets: ["bench"], resolveSecret: () => undefined, describeSecret: () => "" });
  const pass = async () => {
    Object.assign(counts, { requests: 0, throttled: 0, retried: 0 });
    const start = performance.now();
    const [target] = await planTargets({ instance: "bench", targets: [{ name: "bench", provider }], desired: desired.stacks, failedStacks: [], suspendTeardown: false, allowMassDeletion: false });
    if (!target?.plan) throw new Error(target?.error?.message);
    const result = await applyPlan(target.plan, provider, { concurrency: 8 });
    const failed = result.stacks.filter((s) => s.status === "failed").length + result.errors.length;
    return { ...counts, failed, wallMs: performance.now() - start };
  };
  try {
    const cold = await pass();
    const noop = await pass();
    return { cold, noop };
  } finally {
    await provider.close();
    sim.stop();
  }
}

function parseRow(text: string): Row {
  const [stacks, serverPerMinute, clientPerMinute] = text.split(":").map(Number);
  if (!stacks || !serverPerMinute || !clientPerMinute) throw new Error(`expected STACKS:SERVER_PER_MIN:CLIENT_PER_MIN, got '${text}'`);
  return { stacks, serverPerMinute, clientPerMinute };
}

const rows = (process.argv.length > 2 ? process.argv.slice(2) : ["100:3000:2700", "100:1200:2400", "10:200:180"]).map(parseRow);
console.log("| stacks (×3 apps) | server limit /min | client limit /min | cold apply: requests | 429s seen and retried | failed stacks | cold apply: wall | no-op: requests | no-op: wall |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const row of rows) {
  const { cold, noop } = await measure(row);
  const throttled = cold.throttled + noop.throttled;
  console.log(`| ${row.stacks} | ${row.serverPerMinute} | ${row.clientPerMinute} | ${cold.requests} | ${throttled} | ${cold.failed + noop.failed} | ${seconds(cold.wallMs)} | ${noop.requests} | ${seconds(noop.wallMs)} |`);
}
