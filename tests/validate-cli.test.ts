/**
 * `stackctl validate` as users run it: a child process, its output in each format and its exit code. Colour is
 * checked in-process, where the terminal can be faked through CliIO.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { CliIO } from "../cmd/io.ts";
import { run } from "../cmd/validate.ts";
import { stack, tempDir, write } from "./load-helpers.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = fileURLToPath(new URL("../cmd/stackctl.ts", import.meta.url));

function cli(args: string[], cwd = root, input?: string) {
  const r = spawnSync(process.execPath, [entry, "validate", ...args], { cwd, input, encoding: "utf8", env: { ...process.env, NO_COLOR: "" }, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BAD = `apiVersion: stackctl.dev/v1alpha1
kind: Stack
metadata:
  name: alice
spec:
  applications:
    - name: web
      image: nginx
      domian: []
`;

test("the examples are valid: exit 0 and a summary; the GitHub workflow among them is skipped with a note", () => {
  const r = cli(["examples/"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stdout, "examples/github/workflow.yaml:6:1: note: skipped a GitHub Actions workflow (on, jobs): not a stackctl manifest\nvalid: 7 files, 6 stacks; 1 other document skipped\n");
});

test("text output: file:line:col, path, message with a suggestion, code; exit 1; no colour off a terminal", (t) => {
  const dir = tempDir(t);
  write(dir, "manifests/bad.yaml", BAD);
  write(dir, "manifests/other.yaml", "apiVersion: v1\nkind: Service\n");
  const r = cli(["manifests"], dir);
  assert.equal(r.code, 1);
  assert.equal(
    r.stdout,
    'manifests/bad.yaml:9:7: error spec.applications[0].domian: unknown field "domian" (did you mean "domains"?) [schema.unknown-field]\n' +
      "manifests/other.yaml:1:1: note: skipped v1 Service: not a stackctl.dev document\n" +
      "invalid: 1 error in 1 file (checked 2 files, 1 stack; 1 other document skipped)\n",
  );
});

test("--format json is a stable object with stacks, errors and notes", (t) => {
  const dir = tempDir(t);
  write(dir, "bad.yaml", BAD);
  write(dir, "good.yaml", stack("good", "  target: eu"));
  const r = cli(["--format", "json", "."], dir);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ["formatVersion", "valid", "files", "stacks", "errors", "notes", "failedStackNames", "failedFiles"]);
  assert.equal(out.valid, false);
  assert.deepEqual(out.files, ["bad.yaml", "good.yaml"]);
  assert.deepEqual(out.stacks, [{ name: "good", file: "good.yaml", target: "eu", provider: null }]);
  assert.deepEqual(out.errors, [
    { code: "schema.unknown-field", file: "bad.yaml", line: 9, column: 7, path: "spec.applications[0].domian", message: 'unknown field "domian" (did you mean "domains"?)', subject: "stack/alice app/web" },
  ]);
  assert.deepEqual(out.failedStackNames, ["alice"]);
});

test("--format github prints workflow commands that annotate the lines", (t) => {
  const dir = tempDir(t);
  write(dir, "bad, file.yaml", BAD);
  const r = cli(["--format=github", "bad, file.yaml", "missing.yaml"], dir);
  assert.equal(r.code, 2, "an unreadable path wins over invalid content");
  const lines = r.stdout.trimEnd().split("\n");
  assert.deepEqual(lines.slice(0, 2), [
    "::error file=missing.yaml,title=stackctl io.not-found::no such file or directory",
    '::error file=bad%2C file.yaml,line=9,col=7,title=stackctl schema.unknown-field::spec.applications[0].domian: unknown field "domian" (did you mean "domains"?)',
  ]);
  assert.match(lines[2]!, /^invalid: 2 errors in 2 files/);
});

test("stdin is read for '-'", () => {
  const ok = cli(["-"], root, stack("piped"));
  assert.equal(ok.code, 0, ok.stdout);
  const bad = cli(["-"], root, BAD);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^<stdin>:9:7: error spec\.applications\[0\]\.domian/);
});

test("usage errors and unreadable paths exit 2", (t) => {
  const dir = tempDir(t);
  const usage = cli(["--format", "xml"], dir);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown format 'xml'/);
  assert.equal(cli(["--verbose"], dir).code, 2);
  const missing = cli(["nope.yaml"], dir);
  assert.equal(missing.code, 2);
  assert.equal(missing.stdout.split("\n")[0], "nope.yaml: error: no such file or directory [io.not-found]");
  const help = cli(["--help"], dir);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /exit status: 0 valid, 1 invalid, 2 usage or I\/O error/);
});

test("without paths the current directory is validated", (t) => {
  const dir = tempDir(t);
  write(dir, "stack.yaml", stack("here"));
  const r = cli([], dir);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "valid: 1 file, 1 stack\n");
});

function fakeIO(dir: string, isTTY: boolean, env: Record<string, string> = {}): CliIO & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (s) => void out.push(s), stderr: (s) => void out.push(s), readStdin: async () => Buffer.alloc(0), env, cwd: dir, isTTY, signal: new AbortController().signal };
}

test("colour only on a terminal, and never with NO_COLOR", async (t) => {
  const dir = tempDir(t);
  write(dir, "bad.yaml", BAD);
  const tty = fakeIO(dir, true);
  assert.equal(await run(["bad.yaml"], tty), 1);
  assert.match(tty.out.join(""), /\x1b\[1;31merror\x1b\[0m/);
  const noColor = fakeIO(dir, true, { NO_COLOR: "1" });
  await run(["bad.yaml"], noColor);
  assert.doesNotMatch(noColor.out.join(""), /\x1b\[/);
});
