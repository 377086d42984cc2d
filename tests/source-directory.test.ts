import assert from "node:assert/strict";
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { directoryRevision, watchDirectory } from "../controller/sources/directory.ts";

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "stackctl-dir-"));
  dirs.push(d);
  return d;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the callback's arguments, or rejects after a generous bound. */
function nextChange(calls: string[][], count: number, boundMs = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (calls.length >= count) resolve();
      else if (Date.now() - start > boundMs) reject(new Error(`expected ${count} callbacks, got ${calls.length}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe("directory source", () => {
  it("a burst of writes becomes one callback listing the changed manifests", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "nested"));
    await writeFile(join(dir, "a.yaml"), "a: 0\n");
    const calls: string[][] = [];
    const w = watchDirectory(dir, { debounceMs: 200, onChange: (p) => void calls.push(p) });
    try {
      await w.ready;
      // An editor-like burst: several saves, a temp file renamed into place, a non-manifest file.
      for (let i = 1; i <= 5; i++) await writeFile(join(dir, "a.yaml"), `a: ${i}\n`);
      await writeFile(join(dir, "nested", ".b.yaml.tmp"), "b: 1\n");
      await rename(join(dir, "nested", ".b.yaml.tmp"), join(dir, "nested", "b.yml"));
      await writeFile(join(dir, "notes.txt"), "ignored\n");
      await nextChange(calls, 1);
      await sleep(400); // a second callback would have arrived by now
      assert.equal(calls.length, 1);
      assert.deepEqual(calls[0], ["a.yaml", join("nested", "b.yml")]);

      await unlink(join(dir, "a.yaml"));
      await nextChange(calls, 2);
      assert.deepEqual(calls[1], ["a.yaml"]);

      await writeFile(join(dir, "other.txt"), "x\n");
      await sleep(500);
      assert.equal(calls.length, 2, "non-manifest files do not trigger");
    } finally {
      await w.close();
    }
  });

  it("close cancels a pending callback", async () => {
    const dir = await tempDir();
    const calls: string[][] = [];
    const w = watchDirectory(dir, { debounceMs: 300, onChange: (p) => void calls.push(p) });
    await w.ready;
    await writeFile(join(dir, "a.yaml"), "a: 1\n");
    await sleep(100);
    await w.close();
    await sleep(500);
    assert.equal(calls.length, 0);
  });

  it("directoryRevision hashes manifest paths and contents only", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "sub"));
    await mkdir(join(dir, ".git"));
    await writeFile(join(dir, "a.yaml"), "a: 1\n");
    await writeFile(join(dir, "sub", "b.yml"), "b: 1\n");
    const r1 = await directoryRevision(dir);
    assert.match(r1, /^sha256:[0-9a-f]{64}$/);
    await writeFile(join(dir, "README.md"), "docs\n");
    await writeFile(join(dir, ".git", "x.yaml"), "hidden\n");
    assert.equal(await directoryRevision(dir), r1, "other files do not count");
    await writeFile(join(dir, "a.yaml"), "a: 2\n");
    const r2 = await directoryRevision(dir);
    assert.notEqual(r2, r1);
    await rename(join(dir, "sub", "b.yml"), join(dir, "sub", "c.yml"));
    assert.notEqual(await directoryRevision(dir), r2, "a rename changes the revision");
    await writeFile(join(dir, "a.yaml"), "a: 1\n");
    await rename(join(dir, "sub", "c.yml"), join(dir, "sub", "b.yml"));
    assert.equal(await directoryRevision(dir), r1, "same tree, same revision");
  });
});
