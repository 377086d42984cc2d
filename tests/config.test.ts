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
  assert.equal(config.targets[0]!.credential, "k-123");
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
  assert.deepEqual(config.targets.map((t) => [t.config.name, t.config.url, t.credential]), [["default", "http://127.0.0.1:3000", "k"]]);
  assert.throws(() => loadConfig(undefined, { DOKPLOY_URL: "http://127.0.0.1:3000" }, "/"), /DOKPLOY_API_KEY is not set/);
});

it("reads a Coolify target with its defaults, and the JSON Schema agrees on both providers", () => {
  const dir = manifestDir();
  const coolify = { name: "edge", provider: "coolify", url: "https://coolify.example.com", token: { fromFile: join(dir.dir, "token") }, fingerprintKey: { fromEnv: "FP_KEY" } };
  const dokploy = { name: "main", provider: "dokploy", url: "https://dokploy.example.com", apiKey: { fromEnv: "MAIN_KEY" } };
  const doc = { apiVersion: "stackctl.dev/v1alpha1", kind: "ControllerConfig", targets: [dokploy, coolify] };
  writeFileSync(join(dir.dir, "stackctl.yaml"), JSON.stringify(doc));
  writeFileSync(join(dir.dir, "token"), "3|t0ken-value\n");
  const config = loadConfig(undefined, { MAIN_KEY: "k", FP_KEY: "fp-secret" }, dir.dir);
  const edge = config.targets[1]!;
  assert.equal(edge.credential, "3|t0ken-value");
  assert.equal(edge.fingerprintKey, "fp-secret");
  assert.ok(edge.config.provider === "coolify");
  assert.deepEqual([edge.config.server, edge.config.requestsPerMinute, edge.config.concurrency, edge.config.destination], ["localhost", 180, 4, undefined]);
  assert.equal(config.targets[0]!.config.concurrency, 8);
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(configJsonSchemaText()));
  assert.equal(validate(doc), true);
  for (const wrong of [{ ...coolify, apiKey: { fromEnv: "X" } }, { ...dokploy, token: { fromEnv: "X" } }, { ...coolify, token: "inline" }, { ...coolify, provider: "caprover" }]) {
    const bad = { ...doc, targets: [wrong] };
    assert.equal(validate(bad), false, JSON.stringify(wrong));
    writeFileSync(join(dir.dir, "stackctl.yaml"), JSON.stringify(bad));
    assert.throws(() => loadConfig(undefined, { MAIN_KEY: "k" }, dir.dir), (e: unknown) => e instanceof ConfigError && e.code === "config.invalid");
  }
  dir.cleanup();
});

it("configures a single default Coolify target from COOLIFY_URL and COOLIFY_TOKEN, and refuses both providers at once", () => {
  const config = loadConfig(undefined, { COOLIFY_URL: "http://127.0.0.1:8000", COOLIFY_TOKEN: "1|t", COOLIFY_SERVER: "edge-1", COOLIFY_DESTINATION: "net-a" }, "/");
  const [target] = config.targets;
  assert.equal(config.targets.length, 1);
  assert.ok(target!.config.provider === "coolify");
  assert.deepEqual([target!.config.name, target!.config.url, target!.credential, target!.config.server, target!.config.destination], ["default", "http://127.0.0.1:8000", "1|t", "edge-1", "net-a"]);
  assert.match(config.origin, /COOLIFY_URL/);
  const plain = loadConfig(undefined, { COOLIFY_URL: "http://127.0.0.1:8000", COOLIFY_TOKEN: "1|t" }, "/").targets[0]!.config;
  assert.ok(plain.provider === "coolify" && plain.server === "localhost");
  assert.throws(() => loadConfig(undefined, { COOLIFY_URL: "http://127.0.0.1:8000" }, "/"), /COOLIFY_TOKEN is not set/);
  assert.throws(() => loadConfig(undefined, { COOLIFY_URL: "ftp://x", COOLIFY_TOKEN: "1|t" }, "/"), /COOLIFY_URL: expected an http/);
  assert.throws(
    () => loadConfig(undefined, { COOLIFY_URL: "http://127.0.0.1:8000", COOLIFY_TOKEN: "1|t", DOKPLOY_URL: "http://127.0.0.1:3000", DOKPLOY_API_KEY: "k" }, "/"),
    (e: unknown) => e instanceof ConfigError && e.code === "config.ambiguous" && /DOKPLOY_URL and COOLIFY_URL/.test(e.message),
  );
});
