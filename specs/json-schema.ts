/**
 * The JSON Schema of the Stack manifest, generated from the zod model so that the two cannot drift. Rules that zod
 * states as refinements (which have no JSON Schema form of their own) are added here, so that editors and
 * other JSON Schema validators accept and reject the same documents as stackctl.
 */
import { z } from "zod";
import { ControllerConfigSchema } from "./config.ts";
import { ApplicationSchema, APPLICATION_SOURCES, STACK_API_VERSION, StackSchema } from "./model.ts";

/** Where the schema is published; also its `$id`. */
export const STACK_SCHEMA_ID = "https://stackctl.dev/schemas/stack.v1alpha1.json";

/** The file, relative to the repository root, that holds the generated schema. */
export const STACK_SCHEMA_FILE = "schemas/stack.v1alpha1.json";

/**
 * stackJsonSchema returns the JSON Schema (draft 2020-12) of what users write: fields with defaults are optional.
 * The result is plain JSON, deterministic for a given model.
 */
export function stackJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(StackSchema, {
    target: "draft-2020-12",
    io: "input",
    override: (ctx) => {
      // `exactly one source` is a refinement in zod; in JSON Schema it is a oneOf over required keys.
      if (ctx.zodSchema === ApplicationSchema) ctx.jsonSchema.oneOf = APPLICATION_SOURCES.map((s) => ({ required: [s] }));
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: STACK_SCHEMA_ID,
    title: `Stack (${STACK_API_VERSION})`,
    ...rest,
  };
}

/** The schema file's exact content: pretty-printed JSON with a trailing newline. */
export function stackJsonSchemaText(): string {
  return `${JSON.stringify(stackJsonSchema(), null, 2)}\n`;
}

/** Where the ControllerConfig schema is published; also its `$id`. */
export const CONFIG_SCHEMA_ID = "https://stackctl.dev/schemas/controller-config.v1alpha1.json";

/** The file, relative to the repository root, that holds the generated ControllerConfig schema. */
export const CONFIG_SCHEMA_FILE = "schemas/controller-config.v1alpha1.json";

/** configJsonSchemaText is the ControllerConfig schema file's exact content, generated from `specs/config.ts`. */
export function configJsonSchemaText(): string {
  const { $schema, ...rest } = z.toJSONSchema(ControllerConfigSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
  return `${JSON.stringify({ $schema, $id: CONFIG_SCHEMA_ID, title: `ControllerConfig (${STACK_API_VERSION})`, ...rest }, null, 2)}\n`;
}
