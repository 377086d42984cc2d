/**
 * Webhook → first write: a ready controller with N stacks in sync; a commit adds one manifest, the generic hook is
 * POSTed, and the clock runs until the simulator receives the first write (a POST) and until the controller logs
 * the new stack `applied`. Nothing else writes meanwhile (every other stack is in sync), so the first POST after
 * the hook belongs to the new stack; the benchmark checks that it is its `project.create`.
 */
import { medianMax, postHook, seededWorld, spawnController } from "./controller-run.ts";
import { manifestFiles, nowMs } from "./fixture.ts";

export interface WebhookRow {
  stacks: number;
  latencyMs: number;
  repeats: number;
  /** The controller logs `new revision` once it has fetched and loaded the commit. */
  loaded: { median: number; max: number };
  firstWrite: { median: number; max: number };
  applied: { median: number; max: number };
  writes: number;
}

/** webhookRow measures `repeats` new stacks added one after another to a controller holding `n` stacks. */
export async function webhookRow(n: number, latencyMs: number, repeats: number): Promise<WebhookRow> {
  const { sim, log, origin, names } = await seededWorld(n, latencyMs);
  const ctl = await spawnController(origin, sim.url, "10m");
  try {
    await ctl.ready(300_000);
    const loaded: number[] = [];
    const firstWrite: number[] = [];
    const applied: number[] = [];
    let writes = 0;
    for (let k = 0; k < repeats; k++) {
      const name = `w${n}-${latencyMs}-${k}`;
      await origin.commit(manifestFiles([name]), `add ${name}`);
      const fromLog = ctl.proc.logs.length;
      const fromReq = log.length;
      const t0 = nowMs();
      await postHook(ctl.proc);
      const revision = await ctl.waitLog((r) => r.msg === "new revision", fromLog, 60_000);
      const done = await ctl.waitLog((r) => r.msg === "applied" && r.stack === name, fromLog, 60_000);
      const posts = log.slice(fromReq).filter((r) => r.method === "POST");
      if (posts[0]?.path !== "/api/project.create") throw new Error(`first write after the hook: ${posts[0]?.path}`);
      const at = (r: Record<string, unknown>) => Date.parse(String(r.time)) - t0; // pino writes ISO times (ms)
      loaded.push(at(revision));
      firstWrite.push(posts[0].at - t0);
      applied.push(at(done));
      writes = posts.length;
    }
    return { stacks: n, latencyMs, repeats, loaded: medianMax(loaded), firstWrite: medianMax(firstWrite), applied: medianMax(applied), writes };
  } finally {
    await ctl.stop();
    await sim.close();
    origin.cleanup();
  }
}
