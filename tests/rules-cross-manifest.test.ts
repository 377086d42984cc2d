/**
 * The rules across manifests: each is reported on the later claimant with its position, and names where the first
 * claimant is. Targets separate stack names and environments, not domains.
 */
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { checkRules } from "../specs/rules.ts";
import { brief, loadTexts, stack } from "./load-helpers.ts";

const web = (host: string, extra = "") => `    - name: web\n      image: nginx\n      ports: [80]\n      domains: [{host: ${host}${extra}}]`;

test("stack names are unique per target", () => {
  const result = loadTexts({
    "a.yaml": stack("shop", "  target: eu"),
    "b.yaml": stack("shop", "  target: eu\n  environment: other"),
    "c.yaml": stack("shop", "  target: us"),
  });
  assert.deepEqual(brief(result), ["rules.duplicate-stack b.yaml:4:9 metadata.name"]);
  assert.equal(result.errors[0]!.message, 'stack "shop" is defined twice in target "eu"; first at a.yaml:4:9');
  assert.deepEqual(result.failedStackNames, ["shop"]);
});

test("a project and environment belong to one stack per target; the project defaults to the stack name", () => {
  const result = loadTexts({
    "dev.yaml": stack("shop-dev", "  project: shop\n  environment: dev"),
    "dev2.yaml": stack("shop-dev2", "  project: shop\n  environment: dev"),
    "prod.yaml": stack("shop-prod", "  project: shop\n  environment: prod"),
    "us.yaml": stack("shop-us", "  target: us\n  project: shop\n  environment: dev"),
    "named.yaml": stack("shop", "  environment: dev"),
  });
  // "shop" has no project: it defaults to the name, "shop", and so claims shop/dev too.
  assert.deepEqual(brief(result), ["rules.duplicate-environment dev2.yaml:7:16 spec.environment", "rules.duplicate-environment named.yaml:6:16 spec.environment"]);
  assert.match(result.errors[0]!.message, /^project "shop" environment "dev" in the default target is already claimed by stack\/shop-dev at dev\.yaml:7:16/);
  assert.equal(result.errors[0]!.subject, "stack/shop-dev2");
});

test("a domain host and path is claimed once across all stacks and targets", () => {
  const result = loadTexts({
    "a.yaml": stack("a", `  applications:\n${web("shop.example.com")}`),
    "b.yaml": stack("b", `  target: us\n  applications:\n${web("shop.example.com", ", path: /")}`),
    "c.yaml": stack("c", `  applications:\n${web("shop.example.com", ", path: /api")}`),
    "d.yaml": stack("d", `  applications:\n${web("shop.example.com", ", path: /api/")}`),
  });
  assert.deepEqual(brief(result), ["rules.duplicate-domain b.yaml:11:24 spec.applications[0].domains[0].host", "rules.duplicate-domain d.yaml:10:24 spec.applications[0].domains[0].host"]);
  assert.equal(result.errors[0]!.message, "domain shop.example.com/ is already claimed by stack/a app/web at a.yaml:10:24");
  assert.equal(result.errors[1]!.subject, "stack/d app/web");
});

test("two applications of one stack cannot claim one domain, nor share a name", () => {
  const apps = `  applications:\n${web("x.example.com")}\n${web("x.example.com")}`;
  const result = loadTexts({ "s.yaml": stack("s", apps) });
  assert.deepEqual(brief(result).sort(), ["rules.duplicate-application s.yaml:11:13 spec.applications[1].name", "rules.duplicate-domain s.yaml:14:24 spec.applications[1].domains[0].host"]);
});

test("a domain needs a port: its own or the application's first", () => {
  const apps = ["    - name: a\n      image: x\n      domains: [{host: a.example.com}]", "    - name: b\n      image: x\n      ports: [3000]\n      domains: [{host: b.example.com}]", "    - name: c\n      image: x\n      domains: [{host: c.example.com, port: 9000}]"];
  const result = loadTexts({ "s.yaml": stack("s", `  applications:\n${apps.join("\n")}`) });
  assert.deepEqual(brief(result), ["rules.domain-port s.yaml:9:17 spec.applications[0].domains[0]"]);
  assert.match(result.errors[0]!.message, /no port and application "a" lists no ports/);
  const ports = result.stacks[0]!.stack.spec.applications.map((a) => a.domains[0]!.port);
  assert.deepEqual(ports, [0, 3000, 9000]);
});

test("dependsOn names a stack of the same target", () => {
  const result = loadTexts({
    "a.yaml": stack("app", "  dependsOn: [db, cache, ghost]"),
    "db.yaml": stack("db"),
    "cache.yaml": stack("cache", "  target: us"),
  });
  assert.deepEqual(brief(result), ["rules.unknown-dependency a.yaml:6:19 spec.dependsOn[1]", "rules.unknown-dependency a.yaml:6:26 spec.dependsOn[2]"]);
  assert.match(result.errors[0]!.message, /a stack "cache" exists in target "us", but dependencies must share the target/);
  assert.equal(result.errors[1]!.message, 'dependsOn names stack "ghost", which does not exist in the default target');
});

test("a dependency on a stack whose document failed is not reported again", () => {
  const result = loadTexts({ "a.yaml": stack("app", "  dependsOn: [db]"), "db.yaml": stack("db", "  suspend: maybe") });
  assert.deepEqual(result.errors.map((e) => e.code), ["schema.invalid-type"]);
  assert.deepEqual(checkRules(result.stacks).map((e) => e.code), ["rules.unknown-dependency"], "without the failed names it would be");
});

test("dependency cycles are reported once, on the entry that closes them; self-dependencies too", () => {
  const result = loadTexts({
    "a.yaml": stack("a", "  dependsOn: [b]"),
    "b.yaml": stack("b", "  dependsOn: [c]"),
    "c.yaml": stack("c", "  dependsOn: [a]"),
    "d.yaml": stack("d", "  dependsOn: [d]"),
  });
  assert.deepEqual(result.errors.map((e) => `${e.code} ${e.file} ${e.path}: ${e.message}`), [
    "rules.dependency-cycle c.yaml spec.dependsOn[0]: dependency cycle: a → b → c → a",
    "rules.dependency-cycle d.yaml spec.dependsOn[0]: dependency cycle: d → d",
  ]);
});

test("a long dependency chain is fine (no recursion limit)", () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 3000; i++) files[`s${i}.yaml`] = stack(`s${i}`, `  project: p${i}\n  dependsOn: [${i === 0 ? "" : `s${i - 1}`}]`);
  const result = loadTexts(files);
  assert.deepEqual(result.errors, []);
  assert.equal(result.stacks.length, 3000);
});
