/**
 * Field-level comparison of an application's desired and observed configuration, with secret values masked and
 * env and build-arg values read from the server never shown.
 * A field the provider could not read (undefined in the observed spec) is never reported as drift.
 */
import type { AppField, AppSpec, DesiredApplication, DomainSpec } from "../model.ts";
import { APP_FIELDS, HIDDEN_CHANGED } from "../model.ts";
import type { FieldChange } from "./types.ts";
import { SECRET_MASK, SERVER_VALUE_HIDDEN } from "./types.ts";

/** deepEqual compares plain JSON-like values structurally (object key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  // Counted in place rather than with filtered key arrays: this runs for every field of every application of every
  // plan, and the garbage it made was most of a 10,000-stack plan's collector time.
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let defined = 0;
  for (const k in ra) {
    if (ra[k] === undefined) continue;
    defined += 1;
    if (!deepEqual(ra[k], rb[k])) return false;
  }
  for (const k in rb) if (rb[k] !== undefined) defined -= 1;
  return defined === 0;
}

/** The application fields whose observed value differs from the desired one. */
export function changedFields(desired: AppSpec, observed: Partial<AppSpec> | undefined): AppField[] {
  if (observed === undefined) return [];
  return APP_FIELDS.filter((f) => observed[f] !== undefined && !deepEqual(canonical(f, desired[f]), canonical(f, observed[f])));
}

/** Order-insensitive fields are sorted before comparison so that a server's ordering is not drift. */
function canonical(field: AppField, value: unknown): unknown {
  if (field === "volumes" && Array.isArray(value)) return [...value].sort((a, b) => String(a.mountPath).localeCompare(String(b.mountPath)));
  return value;
}

/** describeFields renders the changed fields as printable diffs, env and build args per key. */
export function describeFields(app: DesiredApplication, observed: Partial<AppSpec> | undefined, fields: readonly AppField[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of fields) {
    const before = observed?.[field];
    const after = app.spec[field];
    if (field === "env" || field === "buildArgs") {
      const secret = new Set(field === "env" ? app.secretEnv : app.secretBuildArgs);
      out.push(...mapDiff(field, (before as Record<string, string> | undefined) ?? {}, after as Record<string, string>, secret));
    } else if (field === "source") {
      out.push({ field, before: maskSource(before as AppSpec["source"] | undefined), after: maskSource(after as AppSpec["source"]) });
    } else {
      out.push({ field, before: before ?? null, after });
    }
  }
  return out;
}

/** describeCreate renders every field of a new application, masked. */
export function describeCreate(app: DesiredApplication): FieldChange[] {
  return describeFields(app, undefined, APP_FIELDS).filter((c) => c.after !== null && !(Array.isArray(c.after) && c.after.length === 0));
}

function mapDiff(field: string, before: Record<string, string>, after: Record<string, string>, secret: Set<string>): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const out: FieldChange[] = [];
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    if (a === b) continue;
    // The server's value is never shown: it may be a secret set by hand, or one the manifest just made a literal.
    out.push({
      field: `${field}.${key}`,
      before: b === undefined ? null : b === HIDDEN_CHANGED ? b : SERVER_VALUE_HIDDEN,
      after: a === undefined ? null : secret.has(key) ? SECRET_MASK : a,
    });
  }
  return out;
}

function maskSource(source: AppSpec["source"] | undefined): unknown {
  if (source === undefined) return null;
  if (source.kind !== "image" || source.registry === null) return source;
  return { ...source, registry: { ...source.registry, password: SECRET_MASK } };
}

/** domainKey identifies a domain by host and path, the pair that must be unique. */
export function domainKey(d: Pick<DomainSpec, "host" | "path">): string {
  return `${d.host}${d.path}`;
}

/** describeDomain lists a domain's fields that differ (all of them when `before` is absent). */
export function describeDomain(after: DomainSpec | null, before: DomainSpec | null): FieldChange[] {
  const fields = ["host", "path", "port", "https"] as const;
  return fields
    .filter((f) => before?.[f] !== after?.[f])
    .map((f) => ({ field: f, before: before?.[f] ?? null, after: after?.[f] ?? null }));
}
