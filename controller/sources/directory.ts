/**
 * The local directory source for development (issue #4): chokidar watches the manifests' YAML files and a burst of
 * editor writes (temporary file, rename, chmod) becomes one callback after a quiet period. The directory's revision
 * is a content hash of its manifest files, so status can record what was applied just as it records a commit SHA.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { watch } from "chokidar";

/** Options of watchDirectory. */
export interface WatchOptions {
  /** Quiet period after the last event before `onChange` runs; default 300 ms. */
  debounceMs?: number;
  /** Called once per burst with the changed files (relative to the directory, sorted). */
  onChange: (paths: string[]) => void;
  /** Watcher errors (e.g. the directory vanished); the watcher keeps running. */
  onError?: (err: unknown) => void;
}

/** A running watcher. */
export interface DirectoryWatcher {
  /** Resolves once the initial scan is done; changes before that are not reported. */
  ready: Promise<void>;
  /** close stops watching and cancels a pending callback. */
  close(): Promise<void>;
}

/** isManifestFile reports whether a path is a YAML manifest (`.yaml`/`.yml`, any case). */
export function isManifestFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** watchDirectory watches `dir` recursively for added, changed and removed manifest files. */
export function watchDirectory(dir: string, opts: WatchOptions): DirectoryWatcher {
  const debounceMs = opts.debounceMs ?? 300;
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watcher = watch(dir, {
    ignoreInitial: true,
    // A link to `/` would have chokidar watch the whole machine: links are never followed (issue #9). The interval
    // re-read still loads what a link inside the directory points to (specs/sources.ts refuses links that leave it).
    followSymlinks: false,
    // Directories must pass so that chokidar descends into them; files only when they are manifests.
    ignored: (path, stats) => isHidden(relative(dir, path)) || (stats?.isFile() === true && !isManifestFile(path)),
  });

  function flush(): void {
    timer = undefined;
    const paths = [...pending].sort();
    pending.clear();
    if (paths.length > 0) opts.onChange(paths);
  }

  watcher.on("all", (event, path) => {
    if (event === "addDir" || event === "unlinkDir" || !isManifestFile(path)) return;
    pending.add(relative(dir, path));
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  });
  watcher.on("error", (err) => opts.onError?.(err));

  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      pending.clear();
      await watcher.close();
    },
  };
}

/**
 * directoryRevision hashes the manifest files under `dir` (relative paths and contents, in sorted order) into
 * `sha256:<hex>`: equal trees give equal revisions, any edit, addition, removal or rename changes it.
 */
export async function directoryRevision(dir: string): Promise<string> {
  const files = (await listManifests(dir)).sort();
  const hash = createHash("sha256");
  for (const rel of files) {
    const content = await readFile(join(dir, rel));
    // Length-prefixing keeps `a` + `bc` and `ab` + `c` apart.
    hash.update(`${rel.split(sep).join("/")}\0${content.length}\0`).update(content);
  }
  return `sha256:${hash.digest("hex")}`;
}

async function listManifests(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isManifestFile(e.name))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((rel) => !isHidden(rel));
}

/** Dot-directories (`.git`, editors' swap folders) and dot-files never hold manifests. */
function isHidden(rel: string): boolean {
  return rel.split(/[\\/]/).some((part) => part.startsWith(".") && part !== "." && part !== "..");
}
