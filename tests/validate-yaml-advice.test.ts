/**
 * The YAML mistakes people make in manifests — a key indented more or less than its siblings, a mapping written on
 * the line of its key — give one error at the offending line and column that says how to write it, not the YAML
 * library's own text. Real files, validated by `stackctl validate` as users run it.
 */
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { run } from "../cmd/validate.ts";
import { runVerb } from "./helpers/cli.ts";
import { tempDir, write } from "./load-helpers.ts";

const HEAD = `apiVersion: stackctl.dev/v1alpha1
kind: Stack
metadata:
  name: alice
spec:
  project: shop
  applications:
    - name: web
`;

async function validate(t: import("node:test").TestContext, text: string): Promise<string[]> {
  const dir = tempDir(t);
  write(dir, "stack.yaml", text);
  const r = await runVerb(run, ["stack.yaml"], { env: {}, cwd: dir });
  assert.equal(r.code, 1, r.stdout);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines.at(-1)!, /^invalid: 1 error in 1 file/, "exactly one error");
  assert.doesNotMatch(r.stdout, /Nested mappings|compact mappings|Implicit keys|All mapping items|without - indicator/, "not the YAML library's text");
  return lines.slice(0, -1);
}

test("KEY: secret: X is one error at the value, saying to write KEY: { secret: X }", async (t) => {
  const out = await validate(t, `${HEAD}      image: nginx:1.27
      env:
        TOKEN: secret: API_TOKEN   # from the secrets directory
        MODE: production
      ports: [80]
`);
  assert.deepEqual(out, [
    'stack.yaml:11:16: error spec.applications[0].env.TOKEN: "TOKEN: secret: API_TOKEN" puts a mapping on the line of its key, which YAML does not allow: write TOKEN: { secret: API_TOKEN } (a secret reference is a mapping) [yaml.inline-mapping]',
  ]);
});

test("a second key: value on a key's line that is meant as text is told to be quoted", async (t) => {
  const out = await validate(t, `${HEAD}      image: busybox:1.36
      command: echo ready: now
`);
  assert.deepEqual(out, [
    'stack.yaml:10:16: error spec.applications[0].command: "command: echo ready: now" has a second "key: value" on the line of "command", which YAML does not allow: write command: { echo ready: now } for a mapping, or quote the text: command: "echo ready: now" [yaml.inline-mapping]',
  ]);
});

test("an over-indented key is one error on its own line, naming the column it belongs in", async (t) => {
  const out = await validate(t, `${HEAD}      image: nginx:1.27
        ports: [80]
      env:
        MODE: production
`);
  assert.deepEqual(out, [
    'stack.yaml:10:9: error spec.applications[0].ports: "ports" is indented more than "image" on line 9 (column 9, not 7); "image" already has a value on its line, so nothing can be nested under it: start "ports" in column 7, like the keys above it [yaml.indentation]',
  ]);
});

test("an over-indented top-level key", async (t) => {
  const out = await validate(t, "apiVersion: stackctl.dev/v1alpha1\nkind: Stack\n metadata:\n  name: alice\nspec: {}\n");
  assert.deepEqual(out, [
    'stack.yaml:3:2: error metadata: "metadata" is indented more than "kind" on line 2 (column 2, not 1); "kind" already has a value on its line, so nothing can be nested under it: start "metadata" in column 1, like the keys above it [yaml.indentation]',
  ]);
});

test("an under-indented key in a list item is one error, not a cascade", async (t) => {
  const out = await validate(t, `${HEAD}      image: nginx:1.27
     ports: [80]
      env:
        MODE: production
`);
  assert.deepEqual(out, [
    'stack.yaml:10:6: error spec.applications[0].ports: "ports" starts in column 6, but "image" on line 9 starts in column 7: the keys of one mapping must start in the same column; move "ports" to column 7, or to column 3 if it belongs with "applications" on line 7 [yaml.indentation]',
  ]);
});

test("an under-indented env key after a blank line names both columns it could belong to", async (t) => {
  const out = await validate(t, `${HEAD}      image: nginx:1.27
      env:
        MODE: production

       LEVEL: debug
        COLOR: blue
      ports: [80]
`);
  assert.deepEqual(out, [
    'stack.yaml:13:8: error spec.applications[0].env.LEVEL: "LEVEL" starts in column 8, but "MODE" on line 11 starts in column 9: the keys of one mapping must start in the same column; move "LEVEL" to column 9, or to column 7 if it belongs with "env" on line 10 [yaml.indentation]',
  ]);
});

test("other YAML errors keep the library's message", async (t) => {
  const dir = tempDir(t);
  write(dir, "stack.yaml", `${HEAD}      image: [nginx\n`);
  const r = await runVerb(run, ["stack.yaml"], { env: {}, cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /\[yaml\.syntax\]/);
});
