/**
 * The README documents every error code, and every example carries the schema modeline that gives editors
 * completion.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { ERROR_CODES } from "../specs/errors.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

test("the README's error code table lists every code", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  for (const code of Object.keys(ERROR_CODES)) assert.ok(readme.includes(`| \`${code}\` |`), `README lacks ${code}`);
});

test("every example starts with a modeline pointing at the committed schema", () => {
  // Only Stacks: examples/github/ holds a GitHub workflow to copy, which no Stack schema describes.
  const files = readdirSync(join(root, "examples"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml") && isStack(join(root, "examples", f)));
  assert.ok(files.length >= 6);
  for (const file of files) {
    const first = readFileSync(join(root, "examples", file), "utf8").split("\n")[0];
    const schema = relative(join(root, "examples", file, ".."), join(root, "schemas/stack.v1alpha1.json"));
    assert.equal(first, `# yaml-language-server: $schema=${schema}`, file);
  }
});

function isStack(file: string): boolean {
  return (parse(readFileSync(file, "utf8")) as { kind?: unknown } | null)?.kind === "Stack";
}
