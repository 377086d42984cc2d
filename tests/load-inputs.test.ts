/**
 * Bad input gets a clear error with a position, never a crash or a hang: empty, binary, non-UTF-8 and huge files,
 * duplicate keys, alias bombs, deep nesting, unreadable and missing paths. Real files in temporary directories.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { chmodSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadManifests } from "../specs/load.ts";
import { brief, loadTexts, stack, tempDir, write } from "./load-helpers.ts";

test("an empty file and a file of comments only are errors", async (t) => {
  const dir = tempDir(t);
  write(dir, "empty.yaml", "");
  write(dir, "comments.yaml", "# nothing here\n---\n");
  const result = await loadManifests(["empty.yaml", "comments.yaml"], { cwd: dir });
  assert.deepEqual(brief(result), ["input.empty empty.yaml:0:0 ", "input.empty comments.yaml:0:0 "]);
  assert.match(result.errors[0]!.message, /no YAML document/);
});

test("a binary file is refused at its first NUL byte", async (t) => {
  const dir = tempDir(t);
  write(dir, "logo.yaml", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0a, 0x41, 0x00, 0x01]));
  const result = await loadManifests(["logo.yaml"], { cwd: dir });
  assert.deepEqual(brief(result), ["input.binary logo.yaml:2:2 "]);
  assert.match(result.errors[0]!.message, /binary/);
});

test("a non-UTF-8 file is refused at the offending byte; a UTF-8 BOM is accepted", async (t) => {
  const dir = tempDir(t);
  write(dir, "latin1.yaml", Buffer.concat([Buffer.from("kind: Stack\nname: caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
  write(dir, "utf16.yaml", Buffer.from("\ufeffkind: Stack\n", "utf16le"));
  write(dir, "bom.yaml", `\ufeff${stack("with-bom")}`);
  const result = await loadManifests(["latin1.yaml", "utf16.yaml", "bom.yaml"], { cwd: dir });
  assert.deepEqual(brief(result), ["input.encoding latin1.yaml:2:10 ", "input.encoding utf16.yaml:1:1 "]);
  assert.match(result.errors[0]!.message, /not valid UTF-8 \(byte 0xe9/);
  assert.match(result.errors[1]!.message, /UTF-16/);
  assert.deepEqual(result.stacks.map((s) => s.stack.metadata.name), ["with-bom"]);
});

test("a duplicate key is an error at the second key, with its path and stack", () => {
  const text = stack("dup", "  environment: a\n  environment: b");
  const result = loadTexts({ "dup.yaml": text });
  assert.deepEqual(brief(result), ["yaml.duplicate-key dup.yaml:7:3 spec.environment"]);
  assert.equal(result.errors[0]!.subject, "stack/dup");
  assert.deepEqual(result.failedStackNames, ["dup"]);
});

test("a YAML alias bomb is refused quickly", () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) levels.push(`${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9).fill(`*${"abcdefghi"[i - 1]}`).join(",")}]`);
  const start = performance.now();
  const result = loadTexts({ "bomb.yaml": `${levels.join("\n")}\n` });
  assert.deepEqual(brief(result).map((b) => b.split(" ")[0]), ["yaml.alias-limit"]);
  assert.match(result.errors[0]!.message, /alias bomb/);
  assert.ok(performance.now() - start < 2000);
});

test("a document nested deeper than 64 levels is refused with the path to the deep node", () => {
  const result = loadTexts({ "deep.yaml": stack("deep", `  description: ${"[".repeat(70)}${"]".repeat(70)}`) });
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0]!.code, "yaml.too-deep");
  assert.match(result.errors[0]!.path, /^spec\.description\[0\]\[0\]/);
  assert.equal(result.errors[0]!.line, 6);
  assert.match(result.errors[0]!.message, /deeper than 64/);
});

test("nesting too deep for the parser is one clear error, not a crash", () => {
  const result = loadTexts({ "abyss.yaml": `${"- ".repeat(50_000)}x\n`, "flow.yaml": "[".repeat(100_000) });
  assert.deepEqual(result.errors.map((e) => `${e.code} ${e.file}`), ["yaml.too-deep abyss.yaml", "yaml.too-deep flow.yaml"]);
});

test("a file over 1 MiB is refused before it is read, with the limit in the message", async (t) => {
  const dir = tempDir(t);
  write(dir, "huge.yaml", `# ${"x".repeat(1024 * 1024)}\n`);
  write(dir, "ok.yaml", stack("ok"));
  const result = await loadManifests(["."], { cwd: dir });
  assert.deepEqual(brief(result), ["input.too-large huge.yaml:0:0 "]);
  assert.match(result.errors[0]!.message, /over the 1 MiB limit/);
  assert.equal(result.stacks.length, 1);
  const piped = await loadManifests(["-"], { cwd: dir, maxFileBytes: 10, readStdin: async () => new TextEncoder().encode(stack("s")) });
  assert.deepEqual(brief(piped), ["input.too-large <stdin>:0:0 "]);
});

test("missing paths, symlink loops and FIFOs are I/O errors; the other paths are still checked", async (t) => {
  const dir = tempDir(t);
  write(dir, "good.yaml", stack("good"));
  symlinkSync(join(dir, "loop-b.yaml"), join(dir, "loop-a.yaml"));
  symlinkSync(join(dir, "loop-a.yaml"), join(dir, "loop-b.yaml"));
  execFileSync("mkfifo", [join(dir, "pipe.yaml")]);
  const result = await loadManifests(["missing.yaml", "loop-a.yaml", "pipe.yaml", "good.yaml"], { cwd: dir });
  assert.deepEqual(brief(result), ["io.not-found missing.yaml:0:0 ", "io.unreadable loop-a.yaml:0:0 ", "io.not-a-file pipe.yaml:0:0 "]);
  assert.match(result.errors[1]!.message, /symbolic links/);
  assert.deepEqual(result.stacks.map((s) => s.stack.metadata.name), ["good"]);
});

test("a file without read permission is an I/O error", { skip: process.getuid?.() === 0 ? "root reads any file" : false }, async (t) => {
  const dir = tempDir(t);
  chmodSync(write(dir, "secret.yaml", stack("secret")), 0o000);
  const result = await loadManifests(["secret.yaml"], { cwd: dir });
  assert.deepEqual(brief(result), ["io.unreadable secret.yaml:0:0 "]);
  assert.match(result.errors[0]!.message, /permission denied/);
});

test("directories are searched recursively for .yaml and .yml, skipping hidden directories and node_modules", async (t) => {
  const dir = tempDir(t);
  write(dir, "repo/b.yml", stack("b"));
  write(dir, "repo/a/a.yaml", stack("a"));
  write(dir, "repo/README.md", "not yaml: [");
  write(dir, "repo/.github/workflows/ci.yaml", "on: [push");
  write(dir, "repo/node_modules/x/x.yaml", "{{ template }}");
  write(dir, "empty/notes.txt", "");
  const result = await loadManifests(["repo", "repo/b.yml", "empty"], { cwd: dir });
  assert.deepEqual(result.files, [join("repo", "a", "a.yaml"), join("repo", "b.yml")]);
  assert.deepEqual(brief(result), ["io.no-yaml-files empty:0:0 "]);
});

test("stdin is read for '-' and named <stdin>", async () => {
  const result = await loadManifests(["-"], { readStdin: async () => new TextEncoder().encode(stack("piped")) });
  assert.deepEqual(result.files, ["<stdin>"]);
  assert.equal(result.stacks[0]!.file, "<stdin>");
  assert.equal(result.errors.length, 0);
});

test("every document of a multi-document file is checked; a syntax error does not hide the others", () => {
  const text = `${stack("one")}---\n${stack("two", "  suspend: yes please")}---\nkind: Stack\nmetadata: {name: three\n---\n${stack("four")}`;
  const result = loadTexts({ "multi.yaml": text });
  assert.deepEqual(result.stacks.map((s) => [s.stack.metadata.name, s.docIndex]), [["one", 0], ["four", 3]]);
  const codes = result.errors.map((e) => `${e.code} ${e.line} ${e.subject ?? ""}`);
  assert.equal(codes[0], "schema.invalid-type 13 stack/two");
  assert.ok(codes.slice(1).every((c) => c.startsWith("yaml.syntax")), codes.join("\n"));
  assert.equal(result.errors[1]!.line, 17, "where the unclosed flow mapping of document 3 is noticed");
  assert.deepEqual(result.failedStackNames, ["three", "two"], "the name of a broken document is read when it can be");
  assert.deepEqual(result.failedFiles, ["multi.yaml"]);
});

test("documents of other APIs are skipped with a note; lists, plain mappings, Stacks of another version and kind typos are errors", () => {
  const result = loadTexts({
    "k8s.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n- a list\n---\nplain: mapping\n",
    "future.yaml": "apiVersion: stackctl.dev/v1beta1\nkind: Stack\nmetadata: {name: future}\nspec: {}\n",
    "typo.yaml": "apiVersion: stackctl.dev/v1alpha1\nkind: Stak\nmetadata: {name: typo}\nspec: {}\n",
    "group.yaml": "apiVersion: stackctl.io/v1alpha1\nkind: Stack\nmetadata: {name: group}\nspec: {}\n",
  });
  assert.deepEqual(result.notes.map((n) => `${n.code} ${n.file}:${n.line}`), ["skipped.other-kind k8s.yaml:1"]);
  assert.deepEqual(brief(result), [
    "input.not-a-manifest k8s.yaml:5:1 ",
    "input.not-a-manifest k8s.yaml:7:1 ",
    "schema.unsupported-version future.yaml:1:13 apiVersion",
    "schema.unknown-kind typo.yaml:2:7 kind",
    "schema.invalid-value group.yaml:1:13 apiVersion",
  ]);
  assert.match(result.errors[2]!.message, /supports stackctl\.dev\/v1alpha1/);
  assert.match(result.errors[3]!.message, /did you mean "Stack"/);
  assert.deepEqual(result.failedStackNames, ["future", "group", "typo"]);
});

test("a ControllerConfig beside the manifests is skipped with a note, not an error that would suspend teardown", () => {
  const result = loadTexts({ "stackctl.yaml": "apiVersion: stackctl.dev/v1alpha1\nkind: ControllerConfig\ntargets: []\n" });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.notes.map((n) => `${n.code} ${n.file}:${n.line}`), ["skipped.other-kind stackctl.yaml:1"]);
});
