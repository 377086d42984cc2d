/**
 * `stackctl validate` knows the target when it can: with the ControllerConfig `diff` reads, or `--provider`, it
 * reports offline — no credentials, no secrets, no server — the same `provider.unsupported` errors plan() gives,
 * at file:line:column; without either it says in one line that it checked the manifests only.
 */
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { run } from "../cmd/validate.ts";
import { buildDesired } from "../controller/desired.ts";
import { plan } from "../controller/plan/index.ts";
import { createCoolifyProvider } from "../controller/providers/coolify/index.ts";
import { runVerb } from "./helpers/cli.ts";
import { tempDir, write } from "./load-helpers.ts";
import { loadManifests } from "../specs/load.ts";

const SHOP = `apiVersion: stackctl.dev/v1alpha1
kind: Stack
metadata:
  name: shop
spec:
  target: edge
  project: shop
  environment: production
  applications:
    - name: web
      image: nginx:1.27
      ports: [80]
      replicas: 3
      env:
        TOKEN: { secret: SHOP_TOKEN }
        GREETING: " hello "
`;

const BLOG = `apiVersion: stackctl.dev/v1alpha1
kind: Stack
metadata:
  name: blog
spec:
  target: main
  project: blog
  applications:
    - name: web
      image: ghcr.io/acme/blog:2
      ports: [3000]
      replicas: 2
`;

const CONFIG = JSON.stringify({
  apiVersion: "stackctl.dev/v1alpha1",
  kind: "ControllerConfig",
  targets: [
    { name: "main", provider: "dokploy", url: "https://dokploy.example.com", apiKey: { fromEnv: "MAIN_KEY" } },
    { name: "edge", provider: "coolify", url: "https://coolify.example.com", token: { fromEnv: "EDGE_TOKEN" } },
  ],
});

const REPLICAS = "spec.applications[0].replicas: Coolify runs one container per application on a standalone Docker server; its API has no replica count [provider.unsupported]";
const TRIMMED = "spec.applications[0].env.GREETING: Coolify trims every value it receives; leading or trailing whitespace would be lost [provider.unsupported]";

test("without a ControllerConfig or --provider, the spec alone is checked and one line says so", async (t) => {
  const dir = tempDir(t);
  write(dir, "shop.yaml", SHOP);
  const r = await runVerb(run, ["."], { env: {}, cwd: dir });
  assert.equal(r.code, 0, r.stdout);
  assert.equal(r.stdout, "valid: 1 file, 1 stack\n");
  assert.equal(r.stderr, "note: checked the manifests only, not what Dokploy or Coolify can express: no ControllerConfig (--config, STACKCTL_CONFIG, ./stackctl.yaml) and no --provider dokploy|coolify\n");
});

test("./stackctl.yaml places each stack on its target's provider; no credential is needed", async (t) => {
  const dir = tempDir(t);
  write(dir, "stackctl.yaml", CONFIG);
  write(dir, "stacks/shop.yaml", SHOP);
  write(dir, "stacks/blog.yaml", BLOG);
  const r = await runVerb(run, ["stacks"], { env: {}, cwd: dir });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.stderr, "");
  assert.deepEqual(r.stdout.trimEnd().split("\n"), [
    `stacks/shop.yaml:13:17: error ${REPLICAS}`,
    `stacks/shop.yaml:16:19: error ${TRIMMED}`,
    "invalid: 2 errors in 1 file (checked 2 files, 2 stacks)",
  ], "blog goes to Dokploy, which runs replicas; the secret TOKEN is not judged");
  const json = JSON.parse((await runVerb(run, ["--format", "json", "stacks"], { env: {}, cwd: dir })).stdout);
  assert.deepEqual(json.stacks.map((s: { name: string; provider: string }) => [s.name, s.provider]), [["blog", "dokploy"], ["shop", "coolify"]]);
  assert.deepEqual(json.failedStackNames, ["shop"]);
});

test("--provider checks stacks without a configuration, --config names one, and an unknown target is an error", async (t) => {
  const dir = tempDir(t);
  write(dir, "shop.yaml", SHOP);
  const coolify = await runVerb(run, ["--provider", "coolify", "shop.yaml"], { env: {}, cwd: dir });
  assert.equal(coolify.code, 1);
  assert.deepEqual(coolify.stdout.trimEnd().split("\n").slice(0, 2), [`shop.yaml:13:17: error ${REPLICAS}`, `shop.yaml:16:19: error ${TRIMMED}`]);
  assert.equal((await runVerb(run, ["--provider=dokploy", "shop.yaml"], { env: {}, cwd: dir })).code, 0);

  write(dir, "conf/other.yaml", JSON.stringify({ ...JSON.parse(CONFIG), targets: [JSON.parse(CONFIG).targets[0]] }));
  const unknown = await runVerb(run, ["--config", "conf/other.yaml", "shop.yaml"], { env: {}, cwd: dir });
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stdout.split("\n")[0], "shop.yaml:6:11: error spec.target: target 'edge' is not configured (known: main) [config.unknown-target]");
  const fallback = await runVerb(run, ["--config", "conf/other.yaml", "--provider", "coolify", "shop.yaml"], { env: {}, cwd: dir });
  assert.match(fallback.stdout, /shop\.yaml:13:17: error spec\.applications\[0\]\.replicas/, "--provider covers what the configuration does not place");

  assert.equal((await runVerb(run, ["--provider", "caprover", "shop.yaml"], { env: {}, cwd: dir })).code, 2);
  const broken = await runVerb(run, ["--config", "conf/missing.yaml", "shop.yaml"], { env: {}, cwd: dir });
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /missing\.yaml.*\[config\.unreadable\]/);
});

test("COOLIFY_URL in the environment is a target, as diff reads it", async (t) => {
  const dir = tempDir(t);
  write(dir, "shop.yaml", SHOP.replace("  target: edge\n", ""));
  const r = await runVerb(run, ["shop.yaml"], { env: { COOLIFY_URL: "https://coolify.example.com" }, cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^shop\.yaml:12:17: error spec\.applications\[0\]\.replicas/);
});

test("validate reports exactly the provider.unsupported errors plan() reports for the same stack", async (t) => {
  const dir = tempDir(t);
  const text = SHOP.replace(" hello ", "hello").replace("      replicas: 3\n", "      replicas: 3\n      healthcheck: { command: [\"true\"] }\n      volumes: [{ name: data, mountPath: /data, readOnly: true }]\n");
  write(dir, "shop.yaml", text.replace("nginx:1.27", "nginx").replace("project: shop", "project: sh"));
  const json = JSON.parse((await runVerb(run, ["--provider", "coolify", "--format", "json", "shop.yaml"], { env: {}, cwd: dir })).stdout);
  const fromValidate = json.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`);

  const loaded = await loadManifests(["shop.yaml"], { cwd: dir });
  const desired = buildDesired(loaded.stacks, { targets: ["edge"], resolveSecret: () => "s3cret", describeSecret: () => "" });
  const provider = createCoolifyProvider({ url: "http://127.0.0.1:9", token: "1|x", server: "localhost" });
  t.after(() => provider.close());
  const planned = plan({
    target: "edge", instance: "default", desired: desired.stacks, failedStacks: [], actual: { projects: [] }, allowMassDeletion: false,
    unsupported: provider.unsupported, unsupportedStack: provider.unsupportedStack,
  });
  const fromPlan = planned.stacks.flatMap((s) => s.errors).map((e) => `${e.field}: ${e.message}`);
  assert.ok(fromPlan.length >= 4, fromPlan.join("\n"));
  assert.deepEqual([...fromValidate].sort(), [...fromPlan].sort());
});
