/**
 * Resident memory of the controller holding N stacks (default drift interval, 10m): VmRSS once the first revision
 * is loaded, when the first sync completes (`/readyz` 200) or when the time budget for it runs out (with how many
 * stacks it had reconciled by then), after some idle time when it got ready, and the peak (VmHWM).
 */
import { seededWorld, spawnController } from "./controller-run.ts";
import type { BenchController } from "./controller-run.ts";
import { nowMs } from "./fixture.ts";
import { peakMiB } from "./steady.ts";

export interface MemoryRow {
  stacks: number;
  seedSeconds: number;
  loadedMiB: number;
  /** Seconds to /readyz 200, or null when the budget ran out first. */
  readySeconds: number | null;
  /** Stacks reconciled when ready or when the budget ran out (1 app per stack: one application.one each). */
  reconciled: number;
  atEndMiB: number;
  idleMiB: number | null;
  peakMiB: number;
  secondsRun: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** memoryRow runs the scenario of the file comment; `budgetSeconds` bounds the wait for the first sync. */
export async function memoryRow(n: number, budgetSeconds: number, idleSeconds: number, latencyMs: number): Promise<MemoryRow> {
  const { sim, log, origin, seedSeconds } = await seededWorld(n, latencyMs);
  const from = log.length;
  const started = nowMs();
  let ctl: BenchController | undefined;
  try {
    ctl = await spawnController(origin, sim.url, "10m");
    await ctl.waitLog((r) => r.msg === "new revision", 0, 120_000);
    await sleep(200); // the snapshot is built before the revision is logged; let the first requests start
    const loadedMiB = ctl.rssMiB();
    let readySeconds: number | null = null;
    try {
      await ctl.ready(Math.max(0, budgetSeconds * 1000 - (nowMs() - started)));
      readySeconds = (nowMs() - started) / 1000;
    } catch {
      // the budget ran out: report how far the first sync got
    }
    const reconciled = log.slice(from).filter((r) => r.path === "/api/application.one").length;
    const atEndMiB = ctl.rssMiB();
    let idleMiB: number | null = null;
    if (readySeconds !== null) {
      await sleep(idleSeconds * 1000);
      idleMiB = ctl.rssMiB();
    }
    return { stacks: n, seedSeconds, loadedMiB, readySeconds, reconciled, atEndMiB, idleMiB, peakMiB: peakMiB(ctl.pid), secondsRun: (nowMs() - started) / 1000 };
  } finally {
    await ctl?.stop();
    await sim.close();
    origin.cleanup();
  }
}
