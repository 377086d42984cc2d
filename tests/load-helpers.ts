/**
 * Helpers of the manifest tests: real temporary directories, and small manifests written as users write them.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TestContext } from "node:test";
import { loadSources } from "../specs/load.ts";
import type { LoadResult } from "../specs/loaded.ts";

/** A fresh temporary directory, removed when the test ends. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "stackctl-test-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `content` to `dir/name` (creating parent directories) and returns the file's path. */
export function write(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A Stack document named `name`; `spec` is YAML indented by two spaces (the lines under `spec:`). */
export function stack(name: string, spec = "  applications: []"): string {
  return `apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata:\n  name: ${name}\nspec:\n${spec}\n`;
}

/** Validates in-memory files: `{ "a.yaml": "..." }`. */
export function loadTexts(files: Record<string, string>): LoadResult {
  return loadSources(Object.entries(files).map(([file, text]) => ({ file, bytes: new TextEncoder().encode(text) })));
}

/** The errors of a result reduced to what a reader checks first: `code file:line:col path`. */
export function brief(result: LoadResult): string[] {
  return result.errors.map((e) => `${e.code} ${e.file}:${e.line}:${e.column} ${e.path}`);
}
