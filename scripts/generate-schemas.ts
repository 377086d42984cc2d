/**
 * Writes `schemas/stack.v1alpha1.json` and `schemas/controller-config.v1alpha1.json` from the zod models (`npm run schemas`). The schema is committed so that
 * editors can fetch it; `tests/schema-staleness.test.ts` fails when it differs from what this script writes.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CONFIG_SCHEMA_FILE, configJsonSchemaText, STACK_SCHEMA_FILE, stackJsonSchemaText } from "../specs/json-schema.ts";

for (const [file, text] of [[STACK_SCHEMA_FILE, stackJsonSchemaText()], [CONFIG_SCHEMA_FILE, configJsonSchemaText()]] as const) {
  writeFileSync(fileURLToPath(new URL(`../${file}`, import.meta.url)), text);
  process.stdout.write(`wrote ${file}\n`);
}
