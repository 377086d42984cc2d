/**
 * The controller as a real process for tests: a Git origin in a local bare repository with a work clone to commit
 * from, `stackctl run` spawned as a child of Node 24 with JSON logs parsed as they arrive, and small HTTP helpers
 * for its status, readiness, metrics and webhooks. Everything listens on 127.0.0.1.
 */
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { STACKCTL } from "./cli.ts";
import { reaped } from "./processes.ts";

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" };

/** A bare origin and a work clone; `commit` writes, commits and pushes, returning the new SHA. */
export interface GitOrigin {
  root: string;
  bare: string;
  commit(files: Record<string, string | null>, message?: string): string;
  cleanup(): void;
}

/** gitOrigin creates an empty origin with branch main. */
export function gitOrigin(): GitOrigin {
  const root = mkdtempSync(join(tmpdir(), "stackctl-origin-"));
  const bare = join(root, "origin.git");
  const work = join(root, "work");
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  git(root, "init", "-q", "--bare", "--initial-branch=main", bare);
  git(root, "init", "-q", "--initial-branch=main", work);
  git(work, "remote", "add", "origin", bare);
  return {
    root,
    bare,
    commit(files, message = "change") {
      for (const [name, content] of Object.entries(files)) {
        const path = join(work, name);
        if (content === null) rmSync(path, { force: true });
        else {
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, content);
        }
      }
      git(work, "add", "-A");
      git(work, "commit", "-q", "--allow-empty", "-m", message);
      git(work, "push", "-q", "origin", "main");
      return git(work, "rev-parse", "HEAD");
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** stackYaml renders a Stack manifest. */
export function stackYaml(name: string, spec: Record<string, unknown>): string {
  return stringify({ apiVersion: "stackctl.dev/v1alpha1", kind: "Stack", metadata: { name }, spec });
}

/** A running `stackctl run`. */
export interface ControllerProcess {
  url: string;
  child: ChildProcess;
  /** Parsed JSON log lines so far. */
  logs: Record<string, unknown>[];
  stderr(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  get(path: string): Promise<{ status: number; text: string }>;
  json<T = unknown>(path: string): Promise<T>;
  post(path: string, body: string, headers: Record<string, string>): Promise<number>;
}

/** How long `stackctl run` may take to listen before startController kills it and fails. */
const LISTEN_TIMEOUT_MS = 30_000;

/**
 * startController spawns `stackctl run ARGS` and resolves once it logs the address it listens on. When the process
 * exits first, or does not listen within LISTEN_TIMEOUT_MS, it is killed and the promise rejects: a failed start
 * leaves no process behind. `entry` is the CLI to run: the sources by default, or the built `dist/cmd/stackctl.js`
 * (what the image runs; benchmarks of memory).
 */
export async function startController(args: string[], env: Record<string, string | undefined>, cwd: string, entry = STACKCTL): Promise<ControllerProcess> {
  const child = reaped(spawn(process.execPath, [entry, "run", "--listen", "127.0.0.1:0", "--log-format", "json", ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  }));
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  let buffer = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      buffer += d.toString("utf8");
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        const record = parseLine(line);
        logs.push(record);
        if (record.msg === "listening") resolve(String(record.url));
      }
    });
    void exited.then((code) => reject(new Error(`stackctl run exited with ${code} before listening: ${stderr}`)));
    timer = setTimeout(() => reject(new Error(`stackctl run did not listen within ${LISTEN_TIMEOUT_MS} ms: ${stderr}`)), LISTEN_TIMEOUT_MS);
  }).catch((err: unknown) => {
    child.kill("SIGKILL");
    throw err;
  }).finally(() => clearTimeout(timer));
  const get = async (path: string) => {
    const res = await fetch(url + path);
    return { status: res.status, text: await res.text() };
  };
  return {
    url,
    child,
    logs,
    stderr: () => stderr,
    exited,
    stop(signal = "SIGTERM") {
      child.kill(signal);
      return exited;
    },
    get,
    json: async <T>(path: string) => JSON.parse((await get(path)).text) as T,
    post: async (path, body, headers) => (await fetch(url + path, { method: "POST", body, headers })).status,
  };
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line };
  }
}

let deliveries = 0;

/**
 * githubPush returns the body and headers of a GitHub push delivery signed with `secret`. Like GitHub's, each
 * delivery has its own id and body (the controller ignores a delivery seen before).
 */
export function githubPush(secret: string, branch = "main", after = "0".repeat(40)): { body: string; headers: Record<string, string> } {
  deliveries += 1;
  const body = JSON.stringify({ ref: `refs/heads/${branch}`, after, head_commit: { id: after, timestamp: new Date(Date.now() + deliveries).toISOString() } });
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return { body, headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": randomUUID(), "x-hub-signature-256": signature } };
}

/** waitUntil polls `check` every `intervalMs` until it returns a truthy value or `timeoutMs` passes (then throws). */
export async function waitUntil<T>(what: string, check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A scratch directory removed by `cleanup`. */
export function scratchDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "stackctl-run-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
