/**
 * On a Node.js older than 24, every way in stops at once and says how to get 24: the `stackctl` command (cmd/bin.ts,
 * the package's bin) exits 2 before loading anything else, `npm test` and `npm run demo` stop in
 * scripts/check-node.mjs, and `npm ci` refuses the engine (.npmrc engine-strict). Run with a real old Node found on
 * the PATH (the machine's /usr/bin/node is 20 here); skipped, saying so, where there is none.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The first `node` on the PATH (or the usual places) whose major version is below 24, with its version. */
function findOldNode(): { path: string; version: string } | null {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/local/bin", "/usr/bin"];
  for (const dir of dirs) {
    const path = join(dir, "node");
    try {
      const version = execFileSync(path, ["-p", "process.versions.node"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
      if (Number(version.split(".")[0]) < 24) return { path, version };
    } catch {
      // No node here, or not runnable.
    }
  }
  return null;
}

const old = findOldNode();
const skip = old ? false : "no Node.js older than 24 on this machine";
const FIRST_LINE = (version: string) => `stackctl needs Node.js 24 or newer (this is ${version}).`;

test("stackctl on an old Node exits 2 at once, saying how to get Node 24", { skip }, () => {
  // The entry point as the old Node will run it: its own source with the types stripped (it has no imports).
  const dir = mkdtempSync(join(tmpdir(), "stackctl-old-node-"));
  try {
    const bin = join(dir, "bin.mjs");
    writeFileSync(bin, stripTypeScriptTypes(readFileSync(join(root, "cmd/bin.ts"), "utf8")));
    const run = spawnSync(old!.path, [bin, "diff", "stacks"], { encoding: "utf8", timeout: 20_000 });
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr.split("\n")[0], FIRST_LINE(old!.version));
    assert.match(run.stderr, /nvm install 24/);
    assert.match(run.stderr, /npx -y node@24 /);
    assert.doesNotMatch(run.stderr, /internal error|TypeError/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("npm test and npm run demo stop at once on an old Node, with the same first line", { skip }, () => {
  const run = spawnSync(old!.path, [join(root, "scripts/check-node.mjs")], { encoding: "utf8", timeout: 20_000, env: { ...process.env, npm_lifecycle_event: "test" } });
  assert.equal(run.status, 2);
  assert.equal(run.stderr.split("\n")[0], FIRST_LINE(old!.version));
  assert.match(run.stderr, /nvm install 24/);
  assert.match(run.stderr, /npx -y -p node@24 -- npm test\n/, "repeats the command with Node 24");
  const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  for (const name of ["test", "demo"]) assert.match(scripts[name]!, /^node scripts\/check-node\.mjs && /, `${name} checks Node first`);
  // On Node 24 the check is silent and lets the script go on.
  const current = spawnSync(process.execPath, [join(root, "scripts/check-node.mjs")], { encoding: "utf8" });
  assert.deepEqual([current.status, current.stderr], [0, ""]);
});

test("npm ci on an old Node refuses the engine before installing anything", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "stackctl-old-npm-"));
  try {
    for (const file of ["package.json", "package-lock.json", ".npmrc"]) copyFileSync(join(root, file), join(dir, file));
    // npm's shebang runs the first `node` on the PATH: the old one.
    const env = { PATH: [dirname(old!.path), "/usr/bin", "/bin"].join(delimiter), HOME: process.env.HOME ?? dir, npm_config_update_notifier: "false" };
    const run = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
    if (run.error) return void assert.fail(`npm did not run: ${run.error.message}`);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /EBADENGINE/);
    assert.match(run.stderr, /Required: \{"node":">=24"\}/);
    assert.equal(existsSync(join(dir, "node_modules")), false, "nothing installed");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
