/**
 * A snapshot is what one revision of the source asks for: every stack's desired state (secrets resolved), the
 * stacks that cannot be reconciled and why, and whether teardown is safe. Comparing two snapshots tells the loop
 * which stacks to re-queue: those whose manifest or resolved secrets changed, appeared, failed or went away.
 */
import { createHash } from "node:crypto";
import { buildDesired } from "../desired.ts";
import type { SourcedStack } from "../desired.ts";
import { formatStackError } from "../errors.ts";
import type { DesiredStack } from "../model.ts";
import type { SecretResolver } from "../secrets.ts";
import type { ManifestError } from "../../specs/errors.ts";
import { suspendsTeardown } from "../../specs/errors.ts";
import { loadManifests } from "../../specs/load.ts";
import type { PolicyConfig } from "../../specs/config.ts";

/** A stack the loop can reconcile. */
export interface SnapshotStack {
  desired: DesiredStack;
  /** A hash of everything that shapes the stack's plan, secret values included; kept in memory only. */
  digest: string;
  suspend: boolean;
  dependsOn: string[];
}

/** A stack the loop must leave untouched until its input changes. */
export interface FailedStack {
  name: string;
  target: string | null;
  reason: "InvalidManifest" | "SecretMissing";
  /** One line per error, `file:line:col: path: message [code]`; never a secret. */
  message: string;
  digest: string;
}

/** Everything one revision asks for. */
export interface Snapshot {
  revision: string;
  stacks: Map<string, SnapshotStack>;
  failed: Map<string, FailedStack>;
  /** Errors that may hide any stack (a file that does not parse or is not a Stack): no stack may be treated as removed while there are any. */
  unattributed: string[];
}

/** How manifests become desired stacks. */
export interface SnapshotOptions {
  targets: readonly string[];
  resolveSecret: SecretResolver;
  describeSecret: (name: string) => string;
  /** The operator's limits on manifests (ControllerConfig `policy`). */
  policy?: PolicyConfig;
}

/** buildSnapshot loads every manifest under `dir` (file names relative to it) and resolves it. */
export async function buildSnapshot(dir: string, revision: string, opts: SnapshotOptions): Promise<Snapshot> {
  const loaded = await loadManifests(["."], { cwd: dir });
  const failedNames = new Set(loaded.failedStackNames);
  const snapshot: Snapshot = { revision, stacks: new Map(), failed: new Map(), unattributed: [] };
  for (const e of loaded.errors) {
    const name = stackOf(e);
    // A file that does not parse, or is not clearly something else, may have held any stack: teardown waits.
    if (suspendsTeardown(e)) snapshot.unattributed.push(formatError(e));
    if (name !== null) addFailure(snapshot, name, null, "InvalidManifest", formatError(e));
  }
  const sourced: SourcedStack[] = loaded.stacks.filter((s) => !failedNames.has(s.stack.metadata.name)).map((s) => ({ file: s.file, stack: s.stack }));
  const desired = buildDesired(sourced, opts);
  for (const name of failedNames) {
    if (!snapshot.failed.has(name)) addFailure(snapshot, name, null, "InvalidManifest", `stack/${name}: the manifest is invalid`);
  }
  for (const e of desired.errors) {
    const reason = e.code === "secret.missing" ? "SecretMissing" : "InvalidManifest";
    addFailure(snapshot, stackOfSubject(e.subject) ?? "", null, reason, formatStackError(e));
  }
  for (const f of desired.failedStacks) {
    const failure = snapshot.failed.get(f.name);
    if (failure) failure.target = f.target;
  }
  const specs = new Map(sourced.map((s) => [s.stack.metadata.name, s.stack.spec]));
  for (const stack of desired.stacks) {
    const spec = specs.get(stack.name)!;
    const entry = { desired: stack, suspend: spec.suspend, dependsOn: [...spec.dependsOn] };
    snapshot.stacks.set(stack.name, { ...entry, digest: digestOf(entry) });
  }
  for (const failure of snapshot.failed.values()) failure.digest = digestOf(failure.message);
  return snapshot;
}

/** changedStacks lists the stacks whose reconcile may now give a different result than under `previous`. */
export function changedStacks(previous: Snapshot | null, next: Snapshot): string[] {
  const names = new Set([...next.stacks.keys(), ...next.failed.keys(), ...(previous ? [...previous.stacks.keys(), ...previous.failed.keys()] : [])]);
  const digest = (s: Snapshot | null, name: string) => s?.stacks.get(name)?.digest ?? s?.failed.get(name)?.digest ?? null;
  return [...names].filter((name) => previous === null || digest(previous, name) !== digest(next, name)).sort();
}

const dependentsIndex = new WeakMap<Snapshot, Map<string, string[]>>();

/**
 * dependentsOf lists the stacks whose `dependsOn` names `name`. The reverse index is built once per snapshot: a scan
 * of every stack after each reconcile made a first sync of 10,000 stacks O(N²).
 */
export function dependentsOf(snapshot: Snapshot, name: string): readonly string[] {
  let index = dependentsIndex.get(snapshot);
  if (!index) {
    index = new Map();
    for (const stack of snapshot.stacks.values()) {
      for (const dep of stack.dependsOn) index.set(dep, [...(index.get(dep) ?? []), stack.desired.name]);
    }
    dependentsIndex.set(snapshot, index);
  }
  return index.get(name) ?? [];
}

const declaredIndex = new WeakMap<Snapshot, ReadonlySet<string>>();

/**
 * declaredNames lists every stack the snapshot mentions, reconcilable or not: none of them may be torn down. Built
 * once per snapshot and shared (read-only): every stack's reconcile asks, and a set of every name built per
 * reconcile made a first sync of 10,000 stacks O(N²) (10 s of its CPU).
 */
export function declaredNames(snapshot: Snapshot): ReadonlySet<string> {
  let names = declaredIndex.get(snapshot);
  if (names === undefined) {
    names = new Set([...snapshot.stacks.keys(), ...snapshot.failed.keys()]);
    declaredIndex.set(snapshot, names);
  }
  return names;
}

function addFailure(snapshot: Snapshot, name: string, target: string | null, reason: FailedStack["reason"], line: string): void {
  const existing = snapshot.failed.get(name);
  if (existing) existing.message += `\n${line}`;
  else snapshot.failed.set(name, { name, target, reason, message: line, digest: "" });
}

function stackOf(e: ManifestError): string | null {
  return e.subject ? stackOfSubject(e.subject) : null;
}

function stackOfSubject(subject: string): string | null {
  const first = subject.split(" ")[0]!;
  return first.startsWith("stack/") ? first.slice("stack/".length) : null;
}

function formatError(e: ManifestError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return `${where}: ${e.path ? `${e.path}: ` : ""}${e.message} [${e.code}]`;
}

function digestOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}
