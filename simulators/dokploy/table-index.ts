/**
 * An index over one of the store's row arrays, so lookups by id or by parent cost O(1) instead of a scan of the
 * whole table (which made every 10,000-stack benchmark measure the simulator rather than stackctl). Tests may still
 * replace or splice the arrays directly: the index notices a table that was replaced or changed length behind its
 * back and rebuilds itself, and every answer is checked against the row's current key. A store that pushes or
 * splices a row itself reports it (`added`, `removed`), which keeps the index without a rebuild.
 */

/** Rows grouped by one key (an id, or a parent's id). */
export class TableIndex<T> {
  #table: readonly T[] | null = null;
  #length = -1;
  #rows = new Map<string, T[]>();
  readonly #key: (row: T) => string | null;

  /** `key` gives the column indexed (null: the row is not indexed, e.g. a domain of a compose service). */
  constructor(key: (row: T) => string | null) {
    this.#key = key;
  }

  /** The rows of `table` whose key is `value`, in table order. */
  all(table: readonly T[], value: string): T[] {
    this.#sync(table);
    const rows = this.#rows.get(value);
    if (!rows) return [];
    // A key edited in place (a row moved by hand) drops out here; the rebuild on the next length change picks it up.
    return rows.filter((r) => this.#key(r) === value);
  }

  /** The first row of `table` whose key is `value`. */
  first(table: readonly T[], value: string): T | undefined {
    return this.all(table, value)[0];
  }

  /** Records a row just pushed onto `table`, without a rebuild. */
  added(table: readonly T[], row: T): void {
    if (table !== this.#table || table.length !== this.#length + 1) return; // rebuilt on the next lookup
    this.#length += 1;
    this.#put(row);
  }

  /** Records a row just spliced out of `table`, without a rebuild (a row not found under its key forces one). */
  removed(table: readonly T[], row: T): void {
    if (table !== this.#table || table.length !== this.#length - 1) return; // rebuilt on the next lookup
    this.#length -= 1;
    const value = this.#key(row);
    const rows = value === null ? undefined : this.#rows.get(value);
    const at = rows ? rows.indexOf(row) : -1;
    if (at >= 0) rows!.splice(at, 1);
    else if (value !== null) this.#table = null; // its key was edited in place: rebuild on the next lookup
  }

  #sync(table: readonly T[]): void {
    if (table === this.#table && table.length === this.#length) return;
    this.#table = table;
    this.#length = table.length;
    this.#rows = new Map();
    for (const row of table) this.#put(row);
  }

  #put(row: T): void {
    const value = this.#key(row);
    if (value === null) return;
    const rows = this.#rows.get(value);
    if (rows) rows.push(row);
    else this.#rows.set(value, [row]);
  }
}
