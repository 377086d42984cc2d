/**
 * Fingerprints of the observed objects a plan touches, so that a saved plan can tell whether the server changed
 * since it was computed. A fingerprint is a SHA-256 of the object's canonical JSON with env and build-arg VALUES
 * left out (their keys stay): a saved plan holds nothing derived from a secret. A changed value the plan cares
 * about still shows, because the re-computed plan differs.
 */
import { createHash } from "node:crypto";
import type { ActualApplication, ActualEnvironment, ActualProject, ActualState } from "../model.ts";
import type { Change, Plan } from "../plan/types.ts";

/** One observed object: a readable name, its id, and the digest of what was read. */
export interface ObjectFingerprint {
  object: string;
  id: string;
  sha256: string;
}

/** canonicalJson is JSON with object keys sorted at every level, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

function digest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/** touchedIds are the ids of the server objects a plan's operations name (updated, deleted, or created inside). */
export function touchedIds(plan: Plan): Set<string> {
  const ids = new Set<string>();
  const walk = (value: unknown, key: string) => {
    if (typeof value === "string" && (key === "id" || key.endsWith("Id"))) ids.add(value);
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) if (k !== "spec" && k !== "domain") walk(v, k);
  };
  const changes: Change[] = [...plan.projects, ...plan.stacks.flatMap((s) => s.changes), ...plan.cleanup];
  for (const change of changes) walk(change.operation, "");
  return ids;
}

/** fingerprints lists, in a stable order, the objects of `actual` whose id is in `ids`. */
export function fingerprints(actual: ActualState, ids: ReadonlySet<string>): ObjectFingerprint[] {
  const out: ObjectFingerprint[] = [];
  for (const project of actual.projects) {
    const name = `project/${project.name}`;
    if (ids.has(project.id)) out.push({ object: name, id: project.id, sha256: digest(projectPart(project)) });
    for (const env of project.environments) {
      const envName = `${name} env/${env.name}`;
      if (ids.has(env.id)) out.push({ object: envName, id: env.id, sha256: digest(envPart(env)) });
      for (const app of env.applications) if (ids.has(app.id)) out.push({ object: `${envName} app/${app.name}`, id: app.id, sha256: digest(appPart(app)) });
    }
  }
  return out.sort((a, b) => a.object.localeCompare(b.object) || a.id.localeCompare(b.id));
}

function projectPart(p: ActualProject): object {
  return { id: p.id, name: p.name, description: p.description, owner: p.owner, environments: p.environments.map((e) => e.id).sort() };
}

function envPart(e: ActualEnvironment): object {
  return { id: e.id, name: e.name, isDefault: e.isDefault, description: e.description, owner: e.owner, applications: e.applications.map((a) => a.id).sort() };
}

function appPart(a: ActualApplication): object {
  const spec = a.spec ? { ...a.spec, env: keysOf(a.spec.env), buildArgs: keysOf(a.spec.buildArgs), source: withoutPassword(a.spec.source) } : null;
  return { id: a.id, name: a.name, description: a.description, owner: a.owner, spec, domains: a.domains ?? null };
}

function keysOf(map: Record<string, string> | undefined): string[] | null {
  return map === undefined ? null : Object.keys(map).sort();
}

function withoutPassword(source: NonNullable<ActualApplication["spec"]>["source"]): unknown {
  if (source === undefined || source.kind !== "image" || source.registry === null) return source ?? null;
  return { ...source, registry: { url: source.registry.url, username: source.registry.username } };
}
