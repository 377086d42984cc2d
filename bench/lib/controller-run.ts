/**
 * The controller under benchmark as a separate process: a Git origin in a local bare repository (committed to
 * asynchronously, so that the in-process simulator keeps answering meanwhile), `stackctl run` spawned against it
 * with the simulator as its Dokploy target, and readings of its readiness, logs and resident memory.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { startController } from "../../tests/helpers/controller.ts";
import type { ControllerProcess } from "../../tests/helpers/controller.ts";
import type { BenchSimulator } from "./fixture.ts";
import { manifestFiles, nowMs, seed, stackName, startSimulator } from "./fixture.ts";

const run = promisify(execFile);
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@e", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@e" };
export const HOOK_TOKEN = "bench-hook-token";

/** A bare origin with branch main and a work clone; `commit` writes, commits and pushes, returning the SHA. */
export interface Origin {
  bare: string;
  commit(files: Record<string, string>, message?: string): Promise<string>;
  cleanup(): void;
}

export async function createOrigin(): Promise<Origin> {
  const root = mkdtempSync(join(tmpdir(), "stackctl-bench-origin-"));
  const bare = join(root, "origin.git");
  const work = join(root, "work");
  const git = async (cwd: string, ...args: string[]) => (await run("git", args, { cwd, env: GIT_ENV, maxBuffer: 64 << 20 })).stdout.trim();
  await git(root, "init", "-q", "--bare", "--initial-branch=main", bare);
  await git(root, "init", "-q", "--initial-branch=main", work);
  await git(work, "remote", "add", "origin", bare);
  return {
    bare,
    async commit(files, message = "change") {
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, name)), { recursive: true });
        writeFileSync(join(work, name), content);
      }
      await git(work, "add", "stacks");
      await git(work, "commit", "-q", "-m", message);
      await git(work, "push", "-q", "origin", "main");
      return git(work, "rev-parse", "HEAD");
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A running controller and its scratch data directory. */
export interface BenchController {
  proc: ControllerProcess;
  pid: number;
  /** Resident memory now, in MiB (VmRSS of /proc/PID/status). */
  rssMiB(): number;
  /** Resolves when /readyz answers 200; rejects after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
  /** The first log record matching `match` at or after index `from` (polled every 2 ms). */
  waitLog(match: (r: Record<string, unknown>) => boolean, from: number, timeoutMs: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** How spawnController starts the process: which CLI (default: the TypeScript sources) and extra environment. */
export interface SpawnOptions {
  entry?: string;
  env?: Record<string, string>;
}

/** spawnController runs `stackctl run` on the origin's `stacks` folder against the simulator at `simUrl`. */
export async function spawnController(origin: Origin, simUrl: string, driftInterval: string, opts: SpawnOptions = {}): Promise<BenchController> {
  const dataDir = mkdtempSync(join(tmpdir(), "stackctl-bench-data-"));
  const args = ["--git", origin.bare, "--branch", "main", "--path", "stacks", "--data-dir", dataDir, "--interval", "1m", "--drift-interval", driftInterval, "--workers", "4"];
  const proc = await startController(args, { DOKPLOY_URL: simUrl, DOKPLOY_API_KEY: "sim-api-key", STACKCTL_WEBHOOK_TOKEN: HOOK_TOKEN, ...opts.env }, dataDir, opts.entry);
  const pid = proc.child.pid!;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return {
    proc,
    pid,
    rssMiB: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024,
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while ((await proc.get("/readyz")).status !== 200) {
        if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    async waitLog(match, from, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (let i = from; ; ) {
        for (; i < proc.logs.length; i++) if (match(proc.logs[i]!)) return proc.logs[i]!;
        if (Date.now() > deadline) throw new Error(`no matching log line after ${timeoutMs} ms`);
        await sleep(2);
      }
    },
    async stop() {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs the generic webhook; throws unless it answers 202. */
export async function postHook(proc: ControllerProcess): Promise<void> {
  const status = await proc.post("/hooks/generic", "{}", { authorization: `Bearer ${HOOK_TOKEN}`, "content-type": "application/json" });
  if (status !== 202) throw new Error(`webhook answered ${status}`);
}

/** Median and maximum of a list. */
export function medianMax(xs: readonly number[]): { median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, max: s[s.length - 1]! };
}

/** A simulator holding N stacks in sync and a Git origin declaring them: where every scenario starts. */
export interface SeededWorld extends BenchSimulator {
  origin: Origin;
  names: string[];
  /** Seeding and committing, in seconds. */
  seedSeconds: number;
}

/** seededWorld starts the simulator, applies N stacks to it, commits their manifests, then sets the latency. */
export async function seededWorld(n: number, latencyMs: number): Promise<SeededWorld> {
  const { sim, log } = await startSimulator();
  const origin = await createOrigin();
  const names = Array.from({ length: n }, (_, i) => stackName(i));
  const seeding = nowMs();
  await seed(sim.url, names);
  await sim.store.settled(); // every seeded deployment ended: the controller starts with everything in sync
  await origin.commit(manifestFiles(names), "seed");
  const seedSeconds = (nowMs() - seeding) / 1000;
  sim.setFaults({ latencyMs });
  return { sim, log, origin, names, seedSeconds };
}
