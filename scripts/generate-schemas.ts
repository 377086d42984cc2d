/**
 * Writes `schemas/stack.v1alpha1.json` from the zod model (`npm run schemas`). The schema is committed so that
 * editors can fetch it; `tests/schema-staleness.test.ts` fails when it differs from what this script writes.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { STACK_SCHEMA_FILE, stackJsonSchemaText } from "../specs/json-schema.ts";

const target = fileURLToPath(new URL(`../${STACK_SCHEMA_FILE}`, import.meta.url));
writeFileSync(target, stackJsonSchemaText());
process.stdout.write(`wrote ${STACK_SCHEMA_FILE}\n`);
