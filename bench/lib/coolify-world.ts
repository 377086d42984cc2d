/**
 * What the Coolify scale benchmarks share: the bench stack (one application with a port, two env variables and one
 * domain, as in fixture.ts) and seeding a Coolify instance with N of them through the same plan/apply engine as
 * `stackctl apply`, with the client's rate limit raised so that it never binds.
 */
import { applyPlan } from "../../controller/apply.ts";
import { buildDesired } from "../../controller/desired.ts";
import { planTargets } from "../../controller/engine.ts";
import { createCoolifyProvider } from "../../controller/providers/coolify/index.ts";
import { StackSchema } from "../../specs/model.ts";
import { normalizeStack } from "../../specs/normalize.ts";
import { INSTANCE, TARGET, stackManifest } from "./fixture.ts";

/** A client limit far above any benchmark's pace: the benchmarks measure stackctl and the simulator, not the limiter. */
export const UNBOUND_PER_MINUTE = 1_000_000;

/** What seeding sent and how long it took. */
export interface SeedResult {
  requests: number;
  wallSeconds: number;
}

/** seedCoolify applies the bench stacks `names` to the Coolify instance at `url`, as `stackctl apply` would. */
export async function seedCoolify(url: string, token: string, names: readonly string[], concurrency = 16): Promise<SeedResult> {
  let requests = 0;
  const started = performance.now();
  const provider = createCoolifyProvider({
    url, token, server: "localhost", maxConcurrent: concurrency,
    rateLimit: { requestsPerMinute: UNBOUND_PER_MINUTE, burst: 1000 }, onRequest: () => void (requests += 1),
  });
  try {
    const sourced = names.map((n) => ({ file: `stacks/${n}.yaml`, stack: normalizeStack(StackSchema.parse(stackManifest(n))) }));
    const desired = buildDesired(sourced, { targets: [TARGET], resolveSecret: () => undefined, describeSecret: () => "" });
    const [target] = await planTargets({ instance: INSTANCE, targets: [{ name: TARGET, provider }], desired: desired.stacks, failedStacks: [], suspendTeardown: false, allowMassDeletion: false });
    if (!target?.plan) throw new Error(`seed: ${target?.error?.message}`);
    const result = await applyPlan(target.plan, provider, { concurrency });
    const failed = result.stacks.filter((s) => s.status === "failed");
    if (failed.length > 0 || result.errors.length > 0) throw new Error(`seed: ${failed.length} stacks failed: ${JSON.stringify(failed[0]?.errors ?? result.errors[0])}`);
  } finally {
    await provider.close();
  }
  return { requests, wallSeconds: (performance.now() - started) / 1000 };
}
