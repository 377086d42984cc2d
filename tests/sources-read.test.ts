/**
 * Reading many manifest files (specs/sources.ts): the files come back in walk order across read batches, a
 * regular file and a link to it are read once, and the size limit holds before anything is read.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readSources } from "../specs/sources.ts";

function tree(files: number): string {
  const root = mkdtempSync(join(tmpdir(), "stackctl-sources-"));
  for (let d = 0; d < 4; d++) {
    mkdirSync(join(root, `d${d}`));
    for (let i = 0; i < files / 4; i++) writeFileSync(join(root, `d${d}`, `f${String(i).padStart(4, "0")}.yaml`), `n: ${d}-${i}\n`);
  }
  return root;
}

test("thousands of files, read in batches, come back in walk order", async () => {
  const root = tree(2000);
  try {
    const { sources, errors } = await readSources(["."], { cwd: root });
    assert.deepEqual(errors, []);
    assert.equal(sources.length, 2000);
    const expected = [0, 1, 2, 3].flatMap((d) => Array.from({ length: 500 }, (_, i) => join(".", `d${d}`, `f${String(i).padStart(4, "0")}.yaml`)));
    assert.deepEqual(sources.map((s) => s.file), expected);
    assert.equal(new TextDecoder().decode(sources[1999]!.bytes), "n: 3-499\n");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a file and a link to it are read once; a file over the limit is an error and is not read", async () => {
  const root = mkdtempSync(join(tmpdir(), "stackctl-sources-"));
  try {
    writeFileSync(join(root, "a.yaml"), "a: 1\n");
    symlinkSync(join(root, "a.yaml"), join(root, "b.yaml"));
    writeFileSync(join(root, "big.yaml"), "x".repeat(2048));
    const { sources, errors } = await readSources(["."], { cwd: root, maxFileBytes: 1024 });
    assert.deepEqual(sources.map((s) => s.file), ["a.yaml"]);
    assert.deepEqual(errors.map((e) => [e.code, e.file]), [["input.too-large", "big.yaml"]]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
