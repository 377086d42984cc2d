/**
 * The applications of a team by domain, for the 409 conflict check of every create and update that sets domains
 * (which otherwise read the `fqdn` of every application of the team: O(N) per request, O(N²) to seed N stacks).
 * Same contract as the table indexes (../dokploy/table-index.ts): rebuilt when the table is replaced or changes
 * length behind the store's back, and every answer is checked against the row's current `fqdn`; the store reports
 * the rows it adds and removes and the `fqdn` changes it makes (`changed`), so a domain written through the API is
 * found, or freed, at once.
 */
import type { ApplicationRow } from "./rows.ts";

/** A domain as the conflict check compares it: the URL without trailing slashes. */
export function domainKey(url: string): string {
  return url.replace(/\/+$/, "");
}

/** The comparable domains of an `fqdn` column (a comma-separated list of URLs). */
export function domainKeys(fqdn: string | null): string[] {
  return (fqdn ?? "").split(",").filter((s) => s !== "").map(domainKey);
}

/** Applications by each domain of their `fqdn`. */
export class DomainIndex {
  #table: readonly ApplicationRow[] | null = null;
  #length = -1;
  #byDomain = new Map<string, Set<ApplicationRow>>();

  /** The applications of `table` whose `fqdn` holds `key` (a domainKey), in no particular order. */
  users(table: readonly ApplicationRow[], key: string): ApplicationRow[] {
    this.#sync(table);
    return [...(this.#byDomain.get(key) ?? [])].filter((app) => domainKeys(app.fqdn).includes(key));
  }

  /** Records a row just pushed onto `table`, without a rebuild. */
  added(table: readonly ApplicationRow[], row: ApplicationRow): void {
    if (table !== this.#table || table.length !== this.#length + 1) return; // rebuilt on the next lookup
    this.#length += 1;
    this.#put(row);
  }

  /** Records a row just spliced out of `table`, without a rebuild. */
  removed(table: readonly ApplicationRow[], row: ApplicationRow): void {
    if (table !== this.#table || table.length !== this.#length - 1) return; // rebuilt on the next lookup
    this.#length -= 1;
    // Its current domains; sets holding it under older ones no longer match its `fqdn`, so `users` skips it there.
    for (const key of domainKeys(row.fqdn)) this.#byDomain.get(key)?.delete(row);
  }

  /** Records a row whose `fqdn` the store just set (its old domains are dropped lazily, by the check in `users`). */
  changed(table: readonly ApplicationRow[], row: ApplicationRow): void {
    if (table === this.#table && table.length === this.#length) this.#put(row);
  }

  #sync(table: readonly ApplicationRow[]): void {
    if (table === this.#table && table.length === this.#length) return;
    this.#table = table;
    this.#length = table.length;
    this.#byDomain = new Map();
    for (const row of table) this.#put(row);
  }

  #put(row: ApplicationRow): void {
    for (const key of domainKeys(row.fqdn)) {
      const rows = this.#byDomain.get(key);
      if (rows) rows.add(row);
      else this.#byDomain.set(key, new Set([row]));
    }
  }
}
