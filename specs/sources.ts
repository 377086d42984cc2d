/**
 * Finding and reading manifest files: explicit files, directories searched recursively for `.yaml`/`.yml`, and
 * `-` for standard input. Reading never blocks on special files and never loads a file over the size limit, and a
 * walk never follows a symbolic link out of the directory it started from (`ln -s / root` is an error on that path).
 */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import ignore from "ignore";
import type { Ignore } from "ignore";
import type { ErrorCode, ManifestError } from "./errors.ts";
import { tooLargeMessage } from "./text.ts";

/** The largest manifest file accepted, in bytes. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** The name under which standard input appears in errors. */
export const STDIN_NAME = "<stdin>";

/** The raw content of one manifest file; `file` is the path as the user should see it. */
export interface Source {
  file: string;
  bytes: Uint8Array;
}

/** Where to read from: paths are resolved against `cwd`; `readStdin` is required when a path is `-`. */
export interface ReadOptions {
  cwd?: string;
  readStdin?: () => Promise<Uint8Array>;
  maxFileBytes?: number;
  /**
   * Paths to leave out, in gitignore syntax (`--exclude`): matched relative to each directory given, and against a
   * file given by name as it was written. Each directory's own `.stackctlignore` adds to them.
   */
  exclude?: readonly string[];
}

/** The file at the root of a directory of manifests that lists paths to leave out, in gitignore syntax. */
export const IGNORE_FILE = ".stackctlignore";

/** The files read, in a stable order (arguments in order, directory entries sorted), and the I/O errors met. */
export interface ReadResult {
  sources: Source[];
  errors: ManifestError[];
}

// Directories that never hold manifests but can be huge or hold unrelated YAML (CI workflows, dependencies).
const SKIPPED_DIRS = new Set(["node_modules"]);
const YAML_FILE = /\.ya?ml$/i;

function fileError(code: ErrorCode, file: string, message: string): ManifestError {
  return { code, file, line: 0, column: 0, path: "", message };
}

function ioMessage(err: unknown): { code: ErrorCode; message: string } {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return { code: "io.not-found", message: "no such file or directory" };
  const detail = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "ELOOP" ? "too many symbolic links (a loop?)" : (err as Error).message;
  return { code: "io.unreadable", message: `cannot read: ${detail}` };
}

/**
 * readSources reads every manifest named by `paths`. A missing or unreadable path, or a directory without YAML
 * files, becomes an `io.*` error and the other paths are still read. A file seen twice (named twice, or inside a
 * named directory) is read once.
 */
export async function readSources(paths: readonly string[], options: ReadOptions = {}): Promise<ReadResult> {
  const cwd = options.cwd ?? process.cwd();
  const max = options.maxFileBytes ?? MAX_FILE_BYTES;
  const result: ReadResult = { sources: [], errors: [] };
  const seen = new Set<string>();
  for (const path of paths) {
    if (path === "-") {
      if (seen.has("-")) continue;
      seen.add("-");
      if (!options.readStdin) throw new Error("readSources: '-' given but no readStdin");
      result.sources.push({ file: STDIN_NAME, bytes: await options.readStdin() });
      continue;
    }
    const exclude = options.exclude ?? [];
    if (exclude.length > 0 && ignore().add([...exclude]).ignores(toPosix(path).replace(/^(\.\/)+/, ""))) continue;
    await readPath(path, resolve(cwd, path), true, { max, seen, result, found: 0, exclude, ignore: null, root: "" });
  }
  return result;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** The matcher of a walk rooted at `root`: `--exclude` plus the root's `.stackctlignore`, when there is one. */
async function matcherFor(root: string, exclude: readonly string[]): Promise<Ignore> {
  const matcher = ignore().add([...exclude]);
  const text = await readFile(join(root, IGNORE_FILE), "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT" || err.code === "ENOTDIR") return "";
    throw err;
  });
  return matcher.add(text);
}

interface Walk {
  max: number;
  /** YAML files met so far, read or not: a directory that adds none is reported. */
  found: number;
  seen: Set<string>;
  result: ReadResult;
  exclude: readonly string[];
  /** The excluded paths of the directory walk under way (null until a directory is entered). */
  ignore: Ignore | null;
  /** The absolute directory that `ignore` is relative to. */
  root: string;
}

async function readPath(shown: string, abs: string, explicit: boolean, walk: Walk): Promise<void> {
  let info;
  try {
    info = await stat(abs);
  } catch (err) {
    const { code, message } = ioMessage(err);
    walk.result.errors.push(fileError(code, shown, message));
    return;
  }
  if (info.isDirectory()) {
    const before = walk.found;
    if (explicit) {
      try {
        walk.ignore = await matcherFor(abs, walk.exclude);
      } catch (err) {
        walk.result.errors.push(fileError(ioMessage(err).code, join(shown, IGNORE_FILE), ioMessage(err).message));
        return;
      }
      walk.root = abs;
    }
    // The directory named on the command line is the root no symbolic link below it may leave.
    await readDir(shown, abs, walk, await realpath(abs).catch(() => abs));
    if (explicit && walk.found === before) {
      walk.result.errors.push(fileError("io.no-yaml-files", shown, "directory holds no .yaml or .yml file"));
    }
    return;
  }
  if (!info.isFile()) {
    walk.result.errors.push(fileError("io.not-a-file", shown, "not a regular file or directory"));
    return;
  }
  await readOne(shown, abs, info.size, walk);
}

async function readOne(shown: string, abs: string, size: number, walk: Walk): Promise<void> {
  walk.found++;
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    walk.result.errors.push(fileError(ioMessage(err).code, shown, ioMessage(err).message));
    return;
  }
  if (walk.seen.has(real)) return;
  walk.seen.add(real);
  if (size > walk.max) {
    walk.result.errors.push(fileError("input.too-large", shown, tooLargeMessage(size, walk.max)));
    return;
  }
  try {
    walk.result.sources.push({ file: shown, bytes: await readFile(abs) });
  } catch (err) {
    walk.result.errors.push(fileError(ioMessage(err).code, shown, ioMessage(err).message));
  }
}

async function readDir(shown: string, abs: string, walk: Walk, root: string): Promise<void> {
  let real: string;
  let entries;
  try {
    real = await realpath(abs);
    entries = await readdir(abs, { withFileTypes: true });
  } catch (err) {
    walk.result.errors.push(fileError(ioMessage(err).code, shown, ioMessage(err).message));
    return;
  }
  // A symlink back to an ancestor would otherwise recurse forever; a directory named twice counts as found.
  if (walk.seen.has(`dir:${real}`)) {
    walk.found++;
    return;
  }
  walk.seen.add(`dir:${real}`);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
    const childShown = join(shown, entry.name);
    const childAbs = join(abs, entry.name);
    if (isExcluded(walk, childAbs, entry.isDirectory())) continue;
    if (entry.isDirectory() || entry.isSymbolicLink()) {
      await readChild(childShown, childAbs, entry.name, walk, root);
    } else if (entry.isFile() && YAML_FILE.test(entry.name)) {
      await readPath(childShown, childAbs, false, walk);
    }
  }
}

function isExcluded(walk: Walk, abs: string, isDir: boolean): boolean {
  if (!walk.ignore) return false;
  const rel = toPosix(relative(walk.root, abs));
  return rel !== "" && !rel.startsWith("..") && walk.ignore.ignores(isDir ? `${rel}/` : rel);
}

// A symlink found while walking is followed only when it leads to a directory or a YAML file inside the root.
async function readChild(shown: string, abs: string, name: string, walk: Walk, root: string): Promise<void> {
  let info;
  let real;
  try {
    info = await stat(abs);
    real = await realpath(abs);
  } catch (err) {
    // A broken link is only worth an error when it looks like a manifest.
    if (YAML_FILE.test(name)) walk.result.errors.push(fileError(ioMessage(err).code, shown, ioMessage(err).message));
    return;
  }
  if (!isInside(real, root) && (info.isDirectory() || YAML_FILE.test(name))) {
    walk.result.errors.push(fileError("io.outside-root", shown, `a symbolic link to ${real}, outside ${root}: not followed`));
    return;
  }
  if (info.isDirectory()) await readDir(shown, abs, walk, root);
  else if (info.isFile() && YAML_FILE.test(name)) await readOne(shown, abs, info.size, walk);
}

/** isInside reports whether real path `path` is `root` or below it. */
function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}
