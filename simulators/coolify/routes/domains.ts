/**
 * The `domains` field of application create and update: validation (http/https URLs with a host; an invalid one
 * gives the 422 whose `errors` is a plain list), normalisation (lower-case scheme and host) and the exact-match
 * conflict check against every other application of the team (409 unless force_domain_override).
 */
import { HttpError, validationError } from "../router.ts";
import type { ApplicationRow, CoolifyStore } from "../store.ts";

/** normalizeDomains validates and normalises a comma-separated list; throws the 422 list shape. */
export function normalizeDomains(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const m = /^(https?):\/\/([^/:?#]+)(:\d+)?(\/[^?#]*)?$/i.exec(raw);
    if (!m) throw validationError([`Invalid URL: ${raw}`]);
    out.push(`${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}${m[3] ?? ""}${m[4] ?? ""}`);
  }
  return out;
}

const key = (url: string) => url.replace(/\/+$/, "");

/** checkConflicts gives the 409 of checkIfDomainIsAlreadyUsedViaAPI for domains another application uses. */
export function checkConflicts(store: CoolifyStore, domains: readonly string[], self: ApplicationRow | null, force: boolean): void {
  if (force) return;
  const conflicts = [];
  for (const app of store.applications) {
    if (app === self) continue;
    const theirs = new Set((app.fqdn ?? "").split(",").filter((s) => s !== "").map(key));
    for (const d of domains) {
      if (theirs.has(key(d))) conflicts.push({ domain: d, resource_name: app.name, resource_uuid: app.uuid, resource_type: "application", message: `Domain ${d} is already in use by application '${app.name}'` });
    }
  }
  if (conflicts.length > 0) {
    throw new HttpError(409, {
      message: "Domain conflicts detected. Use force_domain_override=true to proceed.",
      conflicts,
      warning: "Using the same domain for multiple resources can cause routing conflicts and unpredictable behavior.",
    });
  }
}
