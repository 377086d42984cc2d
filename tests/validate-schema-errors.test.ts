/**
 * Schema errors name the file, line and column of the offending node, the field path and what was expected; a
 * misspelt field is never ignored and comes with a suggestion derived from the model.
 */
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { StackSchema } from "../specs/model.ts";
import { didYouMean, editDistance, keysAt } from "../specs/suggest.ts";
import { brief, loadTexts, stack } from "./load-helpers.ts";

const app = (lines: string) => stack("s", `  applications:\n    - name: web\n${lines.split("\n").map((l) => `      ${l}`).join("\n")}`);

function only(text: string) {
  const result = loadTexts({ "s.yaml": text });
  assert.equal(result.errors.length, 1, JSON.stringify(result.errors, null, 1));
  return result.errors[0]!;
}

test("an unknown field points at its key and suggests the field meant", () => {
  const e = only(app("image: nginx\ndomian: []"));
  assert.deepEqual([e.code, e.line, e.column, e.path], ["schema.unknown-field", 9, 7, "spec.applications[0].domian"]);
  assert.equal(e.message, 'unknown field "domian" (did you mean "domains"?)');
  assert.equal(e.subject, "stack/s app/web");
});

test("an unknown field with no close match lists the fields allowed there", () => {
  const e = only(stack("s", "  applications: []\n  flavour: vanilla"));
  assert.equal(e.path, "spec.flavour");
  assert.match(e.message, /^unknown field "flavour"; allowed here: target, project, environment, description/);
});

test("a misspelt required field is one error, not also a missing one", () => {
  const result = loadTexts({ "s.yaml": stack("s", "  applications:\n    - nmae: web\n      image: nginx") });
  assert.deepEqual(brief(result), ["schema.unknown-field s.yaml:7:7 spec.applications[0].nmae"]);
  assert.match(result.errors[0]!.message, /did you mean "name"/);
});

test("typos inside unions are found in the variant meant (volumes, secrets)", () => {
  const result = loadTexts({ "s.yaml": app("image: x\nvolumes: [{name: v, mountPath: /v, readonly: true}]\nenv: {A: {secrt: X}, B: [1]}") });
  assert.deepEqual(
    result.errors.map((e) => [e.path, e.message]),
    [
      ["spec.applications[0].volumes[0].readonly", 'unknown field "readonly" (did you mean "readOnly"?)'],
      ["spec.applications[0].env.A.secrt", 'unknown field "secrt" (did you mean "secret"?)'],
      ["spec.applications[0].env.B", "expected a string, a number, a boolean or a mapping, got a list"],
    ],
  );
});

test("a missing field points at the mapping that lacks it", () => {
  const e = only("apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata:\n  labels: {}\nspec: {}\n");
  assert.deepEqual([e.code, e.line, e.column, e.path], ["schema.missing-field", 4, 3, "metadata.name"]);
  assert.equal(e.message, 'missing required field "name" (a string)');
});

test("wrong types, values, formats and ranges say what was expected and what was found", () => {
  const cases: [string, string, string, string][] = [
    ["image: x\nreplicas: many", "schema.invalid-type", "spec.applications[0].replicas", "expected a number, got a string"],
    ["image: x\nstate: runing", "schema.invalid-value", "spec.applications[0].state", 'expected one of "running", "stopped", got "runing" (did you mean "running"?)'],
    ["image: x\nports: [80]\ndomains: [{host: Shop.Example.com}]", "schema.invalid-format", "spec.applications[0].domains[0].host", 'expected a lowercase hostname such as app.example.com, got "Shop.Example.com"'],
    ["image: x\nports: [70000]", "schema.out-of-range", "spec.applications[0].ports[0]", "expected at most 65535, got 70000"],
    ["image: x\nenv: {1X: a}", "schema.invalid-key", 'spec.applications[0].env["1X"]', 'invalid key "1X": variable names must match [A-Za-z_][A-Za-z0-9_]*'],
    ["image: x\ndockerfile: FROM x", "schema.invalid", "spec.applications[0]", "exactly one source is required: image, git or dockerfile"],
  ];
  for (const [lines, code, path, message] of cases) {
    const e = only(app(lines));
    assert.deepEqual([e.code, e.path, e.message], [code, path, message], lines);
  }
});

test("positions point at the offending value (and at the key for a bad map key)", () => {
  const e = only(app("image: x\nports: [80, 0]"));
  assert.deepEqual([e.line, e.column], [9, 19]);
  const k = only(app("image: x\nenv:\n  OK: 1\n  bad-name: 2"));
  assert.deepEqual([k.line, k.column], [11, 9]);
});

test("all errors of all files are reported in one run", () => {
  const result = loadTexts({
    "a.yaml": app("image: x\ndomian: []\nstate: runing"),
    "b.yaml": stack("Bad_Name"),
    "c.yaml": "kind: Stack\nmetadata: {name: c}\nspec: {}\n",
  });
  assert.deepEqual(brief(result), [
    "schema.unknown-field a.yaml:9:7 spec.applications[0].domian",
    "schema.invalid-value a.yaml:10:14 spec.applications[0].state",
    "schema.invalid-format b.yaml:4:9 metadata.name",
    "schema.missing-field c.yaml:1:1 apiVersion",
  ]);
  assert.equal(result.errors[3]!.message, 'missing required field "apiVersion" ("stackctl.dev/v1alpha1")');
  assert.deepEqual(result.failedFiles, ["a.yaml", "b.yaml", "c.yaml"]);
});

test("suggestions use an edit distance with transpositions and the keys of the model", () => {
  assert.equal(editDistance("domian", "domain"), 1);
  assert.equal(editDistance("domian", "domains"), 2);
  assert.equal(didYouMean("domian", ["name", "domains", "volumes"]), "domains");
  assert.equal(didYouMean("xyz", ["name", "domains"]), undefined);
  assert.deepEqual(keysAt(StackSchema, ["spec", "applications", 0, "volumes", 0]).sort(), ["hostPath", "mountPath", "name", "readOnly"]);
  assert.ok(keysAt(StackSchema, ["spec", "applications", 3]).includes("healthcheck"));
});
