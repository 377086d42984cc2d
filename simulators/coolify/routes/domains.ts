/**
 * The `domains` field of application create and update: validation (http/https URLs with a host; an invalid one
 * gives the 422 whose `errors` is a plain list), normalisation (lower-case scheme and host) and the exact-match
 * conflict check against every other application of the team (409 unless force_domain_override), through the
 * store's domain index.
 */
import { HttpError, validationError } from "../router.ts";
import { domainKey, domainKeys } from "../domain-index.ts";
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

/** checkConflicts gives the 409 of checkIfDomainIsAlreadyUsedViaAPI for domains another application uses. */
export function checkConflicts(store: CoolifyStore, domains: readonly string[], self: ApplicationRow | null, force: boolean): void {
  if (force) return;
  const conflicts = [];
  // The applications using any of the domains (by the domain index), in table order as Coolify's query reads them.
  const users = [...new Set(domains.flatMap((d) => store.applicationsUsing(domainKey(d))))].filter((app) => app !== self).sort((a, b) => a.id - b.id);
  for (const app of users) {
    const theirs = new Set(domainKeys(app.fqdn));
    for (const d of domains) {
      if (theirs.has(domainKey(d))) conflicts.push({ domain: d, resource_name: app.name, resource_uuid: app.uuid, resource_type: "application", message: `Domain ${d} is already in use by application '${app.name}'` });
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
