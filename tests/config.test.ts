import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { ConfigError, loadConfig } from "../cmd/config.ts";
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from "../specs/json-schema.ts";
import { manifestDir } from "./helpers/stacks.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

it("the committed ControllerConfig schema is up to date (run npm run schemas)", () => {
  assert.equal(readFileSync(join(root, CONFIG_SCHEMA_FILE), "utf8"), configJsonSchemaText());
});

it("reads a config file, resolves credentials by reference, and agrees with the JSON Schema", () => {
  const dir = manifestDir();
  const doc = { apiVersion: "stackctl.dev/v1alpha1", kind: "ControllerConfig", instance: "ci", targets: [{ name: "main", provider: "dokploy", url: "https://dokploy.example.com", apiKey: { fromEnv: "MAIN_KEY" } }] };
  writeFileSync(join(dir.dir, "stackctl.yaml"), JSON.stringify(doc));
  const config = loadConfig(undefined, { MAIN_KEY: "k-123" }, dir.dir);
  assert.equal(config.instance, "ci");
  assert.equal(config.targets[0]!.apiKey, "k-123");
  assert.equal(config.targets[0]!.config.timeout, "30s");
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(configJsonSchemaText()));
  assert.equal(validate(doc), true);
  const inline = { ...doc, targets: [{ ...doc.targets[0], apiKey: "inline-key" }] };
  assert.equal(validate(inline), false, "an inline key is refused by the schema");
  writeFileSync(join(dir.dir, "stackctl.yaml"), JSON.stringify(inline));
  assert.throws(() => loadConfig(undefined, {}, dir.dir), (e: unknown) => e instanceof ConfigError && e.code === "config.invalid" && !e.message.includes("inline-key"));
  assert.throws(() => loadConfig(undefined, {}, dir.dir + "/nowhere"), /no configuration/);
  dir.cleanup();
});

it("configures a single default target from DOKPLOY_URL and DOKPLOY_API_KEY", () => {
  const config = loadConfig(undefined, { DOKPLOY_URL: "http://127.0.0.1:3000", DOKPLOY_API_KEY: "k" }, "/");
  assert.deepEqual(config.targets.map((t) => [t.config.name, t.config.url, t.apiKey]), [["default", "http://127.0.0.1:3000", "k"]]);
  assert.throws(() => loadConfig(undefined, { DOKPLOY_URL: "http://127.0.0.1:3000" }, "/"), /DOKPLOY_API_KEY is not set/);
});
