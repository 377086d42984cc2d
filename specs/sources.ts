/**
 * Finding and reading manifest files: explicit files, directories searched recursively for `.yaml`/`.yml`, and
 * `-` for standard input. Reading never blocks on special files and never loads a file over the size limit, and a
 * walk never follows a symbolic link out of the directory it started from (`ln -s / root` is an error on that path).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
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

/** Files read between two turns of the event loop, so that a controller reading many keeps serving meanwhile. */
const READ_BATCH = 64;

// O_NONBLOCK: opening a FIFO that replaced a file since the walk must not block; it has no effect on regular files.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** One slot of the result, in walk order: an error met while walking, standard input, or a file to read. */
type Item =
  | { kind: "error"; error: ManifestError }
  | { kind: "stdin" }
  | { kind: "file"; shown: string; abs: string };

interface Walk {
  /** YAML files met so far, read or not: a directory that adds none is reported. */
  found: number;
  /** Real paths of the files and (as `dir:…`) directories met, so that each is read once. */
  seen: Set<string>;
  items: Item[];
  exclude: readonly string[];
  /** The excluded paths of the directory walk under way (null until a directory is entered). */
  ignore: Ignore | null;
  /** The absolute directory that `ignore` is relative to. */
  ignoreRoot: string;
}

/**
 * readSources reads every manifest named by `paths`. A missing or unreadable path, or a directory without YAML
 * files, becomes an `io.*` error and the other paths are still read. A file seen twice (named twice, or inside a
 * named directory) is read once.
 *
 * The walk first lists what to read, in order, following symbolic links only where they lead to a directory or a
 * YAML file; a regular file met in a directory costs no call there, since its real path is its directory's real
 * path and its name. Then each file is read with one open, one fstat (the size limit and the file type are checked
 * on the open file, before anything is read), the reads and a close — synchronous calls, an order of magnitude
 * cheaper than promise-based ones for many small files, made in batches between which the event loop runs.
 */
export async function readSources(paths: readonly string[], options: ReadOptions = {}): Promise<ReadResult> {
  const cwd = options.cwd ?? process.cwd();
  const exclude = options.exclude ?? [];
  const walk: Walk = { found: 0, seen: new Set(), items: [], exclude, ignore: null, ignoreRoot: "" };
  for (const path of paths) {
    if (path === "-") {
      if (walk.seen.has("-")) continue;
      walk.seen.add("-");
      if (!options.readStdin) throw new Error("readSources: '-' given but no readStdin");
      walk.items.push({ kind: "stdin" });
      continue;
    }
    if (exclude.length > 0 && ignore().add([...exclude]).ignores(toPosix(path).replace(/^(\.\/)+/, ""))) continue;
    await visitPath(path, resolve(cwd, path), true, walk);
  }
  return readItems(walk.items, options.maxFileBytes ?? MAX_FILE_BYTES, options.readStdin);
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

function isExcluded(walk: Walk, abs: string, isDir: boolean): boolean {
  if (!walk.ignore) return false;
  const rel = toPosix(relative(walk.ignoreRoot, abs));
  return rel !== "" && !rel.startsWith("..") && walk.ignore.ignores(isDir ? `${rel}/` : rel);
}

function pushError(walk: Walk, shown: string, err: unknown): void {
  const { code, message } = ioMessage(err);
  walk.items.push({ kind: "error", error: fileError(code, shown, message) });
}

async function visitPath(shown: string, abs: string, explicit: boolean, walk: Walk): Promise<void> {
  let info;
  try {
    info = await stat(abs);
  } catch (err) {
    pushError(walk, shown, err);
    return;
  }
  if (info.isDirectory()) {
    const before = walk.found;
    if (explicit) {
      try {
        walk.ignore = await matcherFor(abs, walk.exclude);
      } catch (err) {
        pushError(walk, join(shown, IGNORE_FILE), err);
        return;
      }
      walk.ignoreRoot = abs;
    }
    // The directory named on the command line is the root no symbolic link below it may leave.
    await visitDir(shown, abs, walk, await realpath(abs).catch(() => abs));
    if (explicit && walk.found === before) {
      walk.items.push({ kind: "error", error: fileError("io.no-yaml-files", shown, "directory holds no .yaml or .yml file") });
    }
    return;
  }
  if (!info.isFile()) {
    walk.items.push({ kind: "error", error: fileError("io.not-a-file", shown, "not a regular file or directory") });
    return;
  }
  await visitFile(shown, abs, null, walk);
}

/** Lists one file to read, once per real path; `real` is null when it must be resolved (a link, a named path). */
async function visitFile(shown: string, abs: string, real: string | null, walk: Walk): Promise<void> {
  walk.found++;
  let resolved = real;
  if (resolved === null) {
    try {
      resolved = await realpath(abs);
    } catch (err) {
      pushError(walk, shown, err);
      return;
    }
  }
  if (walk.seen.has(resolved)) return;
  walk.seen.add(resolved);
  walk.items.push({ kind: "file", shown, abs });
}

async function visitDir(shown: string, abs: string, walk: Walk, root: string): Promise<void> {
  let real: string;
  let entries;
  try {
    real = await realpath(abs);
    entries = await readdir(abs, { withFileTypes: true });
  } catch (err) {
    pushError(walk, shown, err);
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
    if (entry.isSymbolicLink()) await visitLink(childShown, childAbs, entry.name, walk, root);
    else if (entry.isDirectory()) await visitDir(childShown, childAbs, walk, root);
    else if (entry.isFile() && YAML_FILE.test(entry.name)) await visitFile(childShown, childAbs, join(real, entry.name), walk);
  }
}

// A symlink found while walking is followed only when it leads to a directory or a YAML file inside the root.
async function visitLink(shown: string, abs: string, name: string, walk: Walk, root: string): Promise<void> {
  let info;
  let real;
  try {
    info = await stat(abs);
    real = await realpath(abs);
  } catch (err) {
    // A broken link is only worth an error when it looks like a manifest.
    if (YAML_FILE.test(name)) pushError(walk, shown, err);
    return;
  }
  if (!isInside(real, root) && (info.isDirectory() || YAML_FILE.test(name))) {
    walk.items.push({ kind: "error", error: fileError("io.outside-root", shown, `a symbolic link to ${real}, outside ${root}: not followed`) });
    return;
  }
  if (info.isDirectory()) await visitDir(shown, abs, walk, root);
  else if (info.isFile() && YAML_FILE.test(name)) await visitFile(shown, abs, real, walk);
}

/** isInside reports whether real path `path` is `root` or below it. */
function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

/** What one item became: a source, an error, or nothing. */
type Outcome = { source?: Source; error?: ManifestError };

/** Reads a regular file of at most `max` bytes, checking type and size on the open descriptor. */
function readBounded(shown: string, abs: string, max: number): Outcome {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (err) {
    const { code, message } = ioMessage(err);
    return { error: fileError(code, shown, message) };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { error: fileError("io.not-a-file", shown, "not a regular file or directory") };
    if (info.size > max) return { error: fileError("input.too-large", shown, tooLargeMessage(info.size, max)) };
    const bytes = Buffer.allocUnsafe(info.size);
    let length = 0;
    while (length < bytes.length) {
      const n = readSync(fd, bytes, length, bytes.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return { source: { file: shown, bytes: bytes.subarray(0, length) } };
  } catch (err) {
    const { code, message } = ioMessage(err);
    return { error: fileError(code, shown, message) };
  } finally {
    closeSync(fd);
  }
}

async function readItems(items: readonly Item[], max: number, readStdin: ReadOptions["readStdin"]): Promise<ReadResult> {
  const result: ReadResult = { sources: [], errors: [] };
  let sinceYield = 0;
  for (const item of items) {
    let outcome: Outcome;
    if (item.kind === "error") outcome = { error: item.error };
    else if (item.kind === "stdin") outcome = { source: { file: STDIN_NAME, bytes: await readStdin!() } };
    else {
      outcome = readBounded(item.shown, item.abs, max);
      if (++sinceYield === READ_BATCH) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
    if (outcome.source) result.sources.push(outcome.source);
    if (outcome.error) result.errors.push(outcome.error);
  }
  return result;
}
