/**
 * The one shape the controller reads manifests through, whether they come from Git or from a local directory:
 * `fetch()` yields a directory and the revision it holds; a source that can notice changes itself (a watched
 * directory) also offers `watch()`.
 */
import { resolve } from "node:path";
import { stat } from "node:fs/promises";
import { directoryRevision, watchDirectory } from "./directory.ts";
import { SourceError } from "./errors.ts";

/** A fetched revision: the manifests' directory and the commit SHA or content hash it holds. */
export interface FetchedRevision {
  revision: string;
  dir: string;
}

/** A source of manifests for the controller. */
export interface ManifestSource {
  /** `git` or `directory`, for metrics and logs. */
  readonly kind: "git" | "directory";
  /** Names the source in logs and status, without credentials. */
  readonly subject: string;
  /** fetch brings the source up to date; rejects with SourceError, leaving the last good revision in place. */
  fetch(): Promise<FetchedRevision>;
  /** watch calls `onChange` after changes settle; returns a function that stops watching. */
  watch?(onChange: () => void, onError: (err: unknown) => void): Promise<() => Promise<void>>;
}

/** createDirectorySource reads manifests from `dir` and watches it (debounced, see watchDirectory). */
export function createDirectorySource(dir: string, opts: { debounceMs?: number } = {}): ManifestSource {
  const root = resolve(dir);
  const subject = `source/directory ${root}`;
  return {
    kind: "directory",
    subject,
    async fetch() {
      const ok = await stat(root).then((s) => s.isDirectory(), () => false);
      if (!ok) throw new SourceError("source.path-missing", subject, "is not a readable directory");
      return { revision: await directoryRevision(root), dir: root };
    },
    async watch(onChange, onError) {
      const watcher = watchDirectory(root, { debounceMs: opts.debounceMs ?? 200, onChange: () => onChange(), onError });
      await watcher.ready;
      return () => watcher.close();
    },
  };
}

/** gitManifestSource adapts a Git source (see git.ts) to the controller's source shape. */
export function gitManifestSource(git: { subject: string; fetch(): Promise<FetchedRevision> }): ManifestSource {
  return { kind: "git", subject: git.subject, fetch: () => git.fetch() };
}
