/**
 * The baseline of bench/validate.ts, as a process of its own: reads every .yaml file under DIR (sorted, synchronously:
 * the cheapest way to read) and parses it with the `yaml` library alone (parseAllDocuments + toJS, what any loader
 * pays). Prints the number of documents, so that the work cannot be optimised away.
 *   node bench/lib/parse-files.ts DIR
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
}

let documents = 0;
for (const file of files(process.argv[2] ?? ".")) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    doc.toJS();
    documents++;
  }
}
process.stdout.write(`${documents} documents\n`);
