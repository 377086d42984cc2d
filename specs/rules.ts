/**
 * Rules across manifests that the zod model cannot express because they span documents, files or fields: unique
 * names, claims on environments and domains, dependencies and derived ports. Pure: no I/O, errors sorted as found.
 */
import type { ErrorCode, FieldPath, ManifestError } from "./errors.ts";
import { formatPath } from "./errors.ts";
import type { LoadedStack } from "./loaded.ts";
import { targetOf } from "./loaded.ts";
import { markerInDescription } from "./marker-rule.ts";

/** Options of `checkRules`. */
export interface RuleOptions {
  /** Stacks whose documents failed: a `dependsOn` naming one is not reported as unknown (it is already an error). */
  failedStackNames?: Iterable<string>;
}

function fail(s: LoadedStack, code: ErrorCode, path: FieldPath, message: string, subject: string): ManifestError {
  return { code, file: s.file, ...s.locate(path), path: formatPath(path), message, subject };
}

function where(s: LoadedStack, path: FieldPath): string {
  const { line, column } = s.locate(path);
  return `${s.file}:${line}:${column}`;
}

const stackSubject = (s: LoadedStack) => `stack/${s.stack.metadata.name}`;
const targetText = (target: string) => (target === "" ? "the default target" : `target "${target}"`);

/**
 * checkRules returns every violation of the cross-manifest rules among `stacks`. Each error is reported on the
 * later claimant and names where the first one is. Stack names and project+environment pairs are unique per
 * target; domain host+path pairs are unique across all targets, since a host name resolves to one server.
 */
export function checkRules(stacks: readonly LoadedStack[], options: RuleOptions = {}): ManifestError[] {
  return [
    ...uniqueStacks(stacks),
    ...uniqueEnvironments(stacks),
    ...uniqueApplications(stacks),
    ...uniqueDomains(stacks),
    ...domainPorts(stacks),
    ...dependencies(stacks, new Set(options.failedStackNames ?? [])),
    ...markerInDescription(stacks),
  ];
}

function uniqueStacks(stacks: readonly LoadedStack[]): ManifestError[] {
  const first = new Map<string, LoadedStack>();
  const errors: ManifestError[] = [];
  for (const s of stacks) {
    const key = `${targetOf(s.stack)}\0${s.stack.metadata.name}`;
    const prior = first.get(key);
    if (!prior) first.set(key, s);
    else errors.push(fail(s, "rules.duplicate-stack", ["metadata", "name"], `stack "${s.stack.metadata.name}" is defined twice in ${targetText(targetOf(s.stack))}; first at ${where(prior, ["metadata", "name"])}`, stackSubject(s)));
  }
  return errors;
}

function uniqueEnvironments(stacks: readonly LoadedStack[]): ManifestError[] {
  const first = new Map<string, LoadedStack>();
  const errors: ManifestError[] = [];
  for (const s of stacks) {
    const { project, environment } = s.stack.spec;
    const key = `${targetOf(s.stack)}\0${project}\0${environment}`;
    const prior = first.get(key);
    if (!prior) first.set(key, s);
    // Two stacks with one name already got a duplicate-stack error; the same claim again would be noise.
    else if (prior.stack.metadata.name !== s.stack.metadata.name) {
      const path = ["spec", "environment"];
      errors.push(fail(s, "rules.duplicate-environment", path, `project "${project}" environment "${environment}" in ${targetText(targetOf(s.stack))} is already claimed by ${stackSubject(prior)} at ${where(prior, path)}; give this stack another environment or project`, stackSubject(s)));
    }
  }
  return errors;
}

function uniqueApplications(stacks: readonly LoadedStack[]): ManifestError[] {
  const errors: ManifestError[] = [];
  for (const s of stacks) {
    const first = new Map<string, number>();
    s.stack.spec.applications.forEach((app, i) => {
      const prior = first.get(app.name);
      if (prior === undefined) first.set(app.name, i);
      else errors.push(fail(s, "rules.duplicate-application", ["spec", "applications", i, "name"], `application "${app.name}" is defined twice in the stack; first at ${where(s, ["spec", "applications", prior, "name"])}`, `${stackSubject(s)} app/${app.name}`));
    });
  }
  return errors;
}

function normalPath(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.replace(/\/+$/, "") : path;
}

function uniqueDomains(stacks: readonly LoadedStack[]): ManifestError[] {
  const first = new Map<string, { s: LoadedStack; path: FieldPath; subject: string }>();
  const errors: ManifestError[] = [];
  for (const s of stacks) {
    s.stack.spec.applications.forEach((app, i) => {
      app.domains.forEach((d, j) => {
        const key = `${d.host}${normalPath(d.path)}`;
        const path = ["spec", "applications", i, "domains", j, "host"];
        const subject = `${stackSubject(s)} app/${app.name}`;
        const prior = first.get(key);
        if (!prior) first.set(key, { s, path, subject });
        else errors.push(fail(s, "rules.duplicate-domain", path, `domain ${key} is already claimed by ${prior.subject} at ${where(prior.s, prior.path)}`, subject));
      });
    });
  }
  return errors;
}

// normalizeStack gives port 0 to a domain whose port could not be derived; the model forbids 0 otherwise.
function domainPorts(stacks: readonly LoadedStack[]): ManifestError[] {
  const errors: ManifestError[] = [];
  for (const s of stacks) {
    s.stack.spec.applications.forEach((app, i) => {
      app.domains.forEach((d, j) => {
        if (d.port !== 0) return;
        errors.push(fail(s, "rules.domain-port", ["spec", "applications", i, "domains", j], `domain ${d.host} has no port and application "${app.name}" lists no ports: set domains[${j}].port or the application's ports`, `${stackSubject(s)} app/${app.name}`));
      });
    });
  }
  return errors;
}

function dependencies(stacks: readonly LoadedStack[], failed: ReadonlySet<string>): ManifestError[] {
  const errors: ManifestError[] = [];
  const byTarget = new Map<string, Map<string, LoadedStack>>();
  for (const s of stacks) {
    const names = byTarget.get(targetOf(s.stack)) ?? new Map<string, LoadedStack>();
    byTarget.set(targetOf(s.stack), names);
    if (!names.has(s.stack.metadata.name)) names.set(s.stack.metadata.name, s);
  }
  for (const s of stacks) {
    const names = byTarget.get(targetOf(s.stack))!;
    s.stack.spec.dependsOn.forEach((dep, k) => {
      if (names.has(dep) || failed.has(dep)) return;
      const elsewhere = [...byTarget].find(([, n]) => n.has(dep))?.[0];
      const hint = elsewhere === undefined ? "" : `; a stack "${dep}" exists in ${targetText(elsewhere)}, but dependencies must share the target`;
      errors.push(fail(s, "rules.unknown-dependency", ["spec", "dependsOn", k], `dependsOn names stack "${dep}", which does not exist in ${targetText(targetOf(s.stack))}${hint}`, stackSubject(s)));
    });
  }
  for (const names of byTarget.values()) errors.push(...cycles(names));
  return errors;
}

// Iterative depth-first search (a long dependency chain must not overflow the call stack); each cycle is
// reported once, on the dependsOn entry that closes it.
function cycles(names: ReadonlyMap<string, LoadedStack>): ManifestError[] {
  const errors: ManifestError[] = [];
  const state = new Map<string, "open" | "done">();
  const reported = new Set<string>();
  for (const start of names.keys()) {
    if (state.has(start)) continue;
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    state.set(start, "open");
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      const deps = names.get(top.name)!.stack.spec.dependsOn;
      if (top.next >= deps.length) {
        state.set(top.name, "done");
        stack.pop();
        continue;
      }
      const k = top.next++;
      const dep = deps[k]!;
      if (!names.has(dep)) continue;
      if (state.get(dep) === "open") {
        const loop = [...stack.slice(stack.findIndex((f) => f.name === dep)).map((f) => f.name), dep];
        const key = [...new Set(loop)].sort().join("\0");
        if (reported.has(key)) continue;
        reported.add(key);
        const s = names.get(top.name)!;
        errors.push(fail(s, "rules.dependency-cycle", ["spec", "dependsOn", k], `dependency cycle: ${loop.join(" → ")}`, stackSubject(s)));
      } else if (!state.has(dep)) {
        state.set(dep, "open");
        stack.push({ name: dep, next: 0 });
      }
    }
  }
  return errors;
}
