/**
 * The committed JSON Schema is what the generator produces from the zod model, and the two agree: every manifest
 * of the corpus (and every example) is accepted or rejected by both zod and ajv with the JSON Schema.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { STACK_SCHEMA_FILE, STACK_SCHEMA_ID, stackJsonSchema, stackJsonSchemaText } from "../specs/json-schema.ts";
import { StackSchema } from "../specs/model.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const corpus = join(root, "tests/fixtures/corpus");

function compile() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }) // oneOf: [{ required: [image] }, ...] is the idiom for "exactly one";
  return ajv.compile(stackJsonSchema());
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}

test("the committed schema is what scripts/generate-schemas.ts writes (run `npm run schemas` when this fails)", () => {
  const committed = readFileSync(join(root, STACK_SCHEMA_FILE), "utf8");
  assert.equal(committed, stackJsonSchemaText());
});

test("the schema is draft 2020-12 with an $id, a title and descriptions of the fields", () => {
  const schema = stackJsonSchema() as { $schema: string; $id: string; title: string; properties: Record<string, { description?: string }> };
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.equal(schema.$id, STACK_SCHEMA_ID);
  assert.match(schema.title, /Stack/);
  assert.ok(schema.properties.spec?.description);
  assert.match(stackJsonSchemaText(), /"description": "Container image to run/);
});

for (const expected of ["valid", "invalid"] as const) {
  const files = yamlFiles(join(corpus, expected));
  test(`corpus/${expected}: zod and ajv agree on all ${files.length} manifests`, () => {
    assert.ok(files.length >= 8, "the corpus is not empty");
    const validate = compile();
    for (const file of files) {
      const data: unknown = parse(readFileSync(file, "utf8"));
      const zodOk = StackSchema.safeParse(data).success;
      const ajvOk = validate(data);
      const name = file.slice(corpus.length + 1);
      assert.equal(zodOk, expected === "valid", `zod on ${name}`);
      assert.equal(ajvOk, expected === "valid", `ajv on ${name}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
    }
  });
}

test("every example Stack validates against the JSON Schema", () => {
  const validate = compile();
  // examples/github/ holds a GitHub workflow to copy, not a Stack.
  const files = yamlFiles(join(root, "examples")).filter((f) => (parse(readFileSync(f, "utf8")) as { kind?: unknown } | null)?.kind === "Stack");
  assert.ok(files.length >= 6);
  for (const file of files) assert.ok(validate(parse(readFileSync(file, "utf8"))), `${file}: ${JSON.stringify(validate.errors)}`);
});

test("the refinements are in the JSON Schema: one source per application, label key syntax", () => {
  const validate = compile();
  const base = { apiVersion: "stackctl.dev/v1alpha1", kind: "Stack", metadata: { name: "s" }, spec: {} };
  const withApp = (app: object) => ({ ...base, spec: { applications: [{ name: "web", ...app }] } });
  assert.equal(validate(withApp({ image: "x" })), true);
  assert.equal(validate(withApp({ image: "x", dockerfile: "FROM x" })), false);
  assert.equal(validate(withApp({})), false);
  assert.equal(validate({ ...base, metadata: { name: "s", labels: { "example.com/team": "a" } } }), true);
  assert.equal(validate({ ...base, metadata: { name: "s", labels: { "Example.com/team": "a" } } }), false);
});
