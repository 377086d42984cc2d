/**
 * Every bundled example says at its top which providers it is for (`# Providers: Dokploy, Coolify`), and applies
 * to each of them: `apply` of the examples for a provider against its simulator, then a `diff` that finds nothing
 * to do, and `validate --provider` that agrees.
 */
import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { run as apply } from "../cmd/apply.ts";
import { run as diff } from "../cmd/diff.ts";
import { run as validate } from "../cmd/validate.ts";
import { runVerb } from "./helpers/cli.ts";
import { manifestDir } from "./helpers/stacks.ts";
import type { FixtureFactory } from "./helpers/targets.ts";
import { coolifyFixture, dokployFixture } from "./helpers/targets.ts";

const examples = fileURLToPath(new URL("../examples", import.meta.url));
const PROVIDERS = ["dokploy", "coolify"] as const;
type Kind = (typeof PROVIDERS)[number];

/** Each example Stack file (relative to examples/) with the providers its `# Providers:` line names. */
function declared(): { file: string; text: string; providers: Kind[] }[] {
  const files = readdirSync(examples, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).sort();
  // examples/github/ holds a GitHub workflow to copy, not a Stack.
  const stacks = files.map((file) => ({ file, text: readFileSync(join(examples, file), "utf8") })).filter((f) => /^kind: Stack\s*$/m.test(f.text));
  return stacks.map(({ file, text }) => {
    const header = text.split("\n").filter((l) => l.startsWith("#")).join("\n");
    // `# Providers: Dokploy, Coolify.` or `# Provider: Dokploy only: why` — the list ends at the first : ( or .
    const line = /^# Providers?: ([^:(.\n]+)/m.exec(header)?.[1] ?? "";
    return { file, text, providers: PROVIDERS.filter((p) => line.toLowerCase().includes(p)) };
  });
}

/** Every `{ secret: NAME }` of the examples, with a made-up value. */
function secrets(texts: readonly string[]): Record<string, string> {
  const names = texts.flatMap((t) => [...t.matchAll(/secret: ([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
  return Object.fromEntries(names.map((n) => [n, `example-${n.toLowerCase()}-value`]));
}

test("every example names its providers in a comment at its top", () => {
  const all = declared();
  assert.ok(all.length >= 6);
  for (const e of all) assert.ok(e.providers.length > 0, `${e.file}: no '# Providers: Dokploy, Coolify' (or the one it is for) in its header comment`);
  assert.ok(all.some((e) => e.providers.length === 2 && e.file === "ai-stack-alice.yaml"), "the per-user stack applies on both");
});

const FIXTURES: Record<Kind, FixtureFactory> = { dokploy: dokployFixture, coolify: coolifyFixture() };

for (const provider of PROVIDERS) {
  test(`the examples for ${provider} apply to its simulator, and a second diff finds nothing to do`, async (t) => {
    const mine = declared().filter((e) => e.providers.includes(provider));
    assert.ok(mine.length > 0);
    const target = await FIXTURES[provider]();
    const dir = manifestDir();
    t.after(async () => {
      await target.close();
      dir.cleanup();
    });
    for (const e of mine) cpSync(join(examples, e.file), join(dir.dir, "stacks", e.file));
    const env = { ...target.env(), ...secrets(mine.map((e) => e.text)), STACKCTL_SECRETS_DIR: join(dir.dir, "no-secrets") };
    const checked = await runVerb(validate, ["--provider", provider, "stacks"], { env: {}, cwd: dir.dir });
    assert.equal(checked.code, 0, `validate --provider ${provider}:\n${checked.stdout}`);
    const applied = await runVerb(apply, ["stacks"], { env, cwd: dir.dir });
    assert.equal(applied.code, 0, `apply to ${provider}:\n${applied.stdout}\n${applied.stderr}`);
    assert.match(applied.stdout, /^Apply: /m);
    for (const e of mine) {
      const name = /^  name: (\S+)$/m.exec(e.text)![1]!;
      assert.match(applied.stdout, new RegExp(`stack/${name} `), `${e.file} (stack ${name}) was applied`);
    }
    const again = await runVerb(diff, ["stacks"], { env, cwd: dir.dir });
    assert.equal(again.code, 0, `a second diff on ${provider} wants changes:\n${again.stdout}\n${again.stderr}`);
  });
}
