/**
 * `npm test` cannot hang: its node --test flags give every test a timeout and end a test file's process once its
 * tests are done, and the children tests spawn through `reaped` die with it. Shown on a test file that holds a
 * server and a child process and never settles (tests/fixtures/hang/stuck.ts), run with the flags of the
 * package.json test script, its timeout shortened.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const script = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { test: string } }).scripts.test;

/** The environment of a top-level runner: without NODE_TEST_CONTEXT, which would make it report to this one. */
function runnerEnv(pids: string): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _nested, ...env } = process.env;
  return { ...env, STACKCTL_HANG_PIDS: pids };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("the test script sets a per-test timeout and a forced exit", () => {
  assert.match(script, /node --test .*--test-timeout=\d+/);
  assert.match(script, /--test-force-exit/);
});

test("a stuck test file holding a server and a child ends, failing, and leaves the child dead", { timeout: 60_000 }, () => {
  const flags = [...script.matchAll(/--test-[\w-]+(?:=\S+)?/g)].map((m) => m[0].replace(/^--test-timeout=\d+$/, "--test-timeout=1000")).filter((f) => !f.startsWith("--test-concurrency"));
  const dir = mkdtempSync(join(tmpdir(), "stackctl-hang-"));
  try {
    const pids = join(dir, "pids");
    const started = Date.now();
    const run = spawnSync(process.execPath, ["--test", ...flags, join(root, "tests/fixtures/hang/stuck.ts")], { encoding: "utf8", env: runnerEnv(pids), timeout: 45_000 });
    assert.equal(run.signal, null, "the runner ended by itself, not by our 45 s kill");
    assert.notEqual(run.status, 0);
    assert.match(run.stdout, /timed out after 1000ms/);
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    const child = Number(readFileSync(pids, "utf8"));
    for (let i = 0; i < 50 && alive(child); i++) spawnSync("sleep", ["0.1"]);
    assert.equal(alive(child), false, `child ${child} still running`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
