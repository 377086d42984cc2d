/**
 * Issue #9: interpolation stackctl does not do, and characters that display differently from what they are, are
 * validate errors on the right file, line and field; `${{project.NAME}}` stays valid and `$$` writes a literal `$`.
 * `stackctl validate` and `apply` as real processes (apply against the Dokploy simulator).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runCli } from "./helpers/cli.ts";
import { scratchDir, stackYaml } from "./helpers/controller.ts";

let scratch: ReturnType<typeof scratchDir>;
beforeEach(() => {
  scratch = scratchDir();
});
afterEach(() => scratch.cleanup());

function write(spec: Record<string, unknown>): void {
  writeFileSync(join(scratch.dir, "s.yaml"), stackYaml("s", spec));
}
const app = (env: Record<string, unknown>) => ({ applications: [{ name: "web", image: "nginx:1.27", env }] });

async function validate(): Promise<{ code: number; out: string }> {
  const r = await runCli(["validate", "--format", "json", "s.yaml"], { env: {}, cwd: scratch.dir });
  return { code: r.code, out: r.stdout + r.stderr };
}

describe("interpolation stackctl does not do", () => {
  for (const [value, name] of [["${BOB_ANTHROPIC_KEY}", "BOB_ANTHROPIC_KEY"], ["$BOB_KEY", "BOB_KEY"], ["postgres://u:${DB_PASS:-x}@db/app", "DB_PASS"]] as const) {
    it(`${JSON.stringify(value)} is an error pointing to { secret: ${name} }`, async () => {
      write(app({ ANTHROPIC_API_KEY: value }));
      const r = await validate();
      assert.equal(r.code, 1, r.out);
      const doc = JSON.parse(r.out) as { errors: { code: string; file: string; line: number; path: string; message: string }[] };
      const e = doc.errors[0]!;
      assert.equal(e.code, "schema.interpolation");
      assert.equal(e.path, "spec.applications[0].env.ANTHROPIC_API_KEY");
      assert.ok(e.line > 1);
      assert.match(e.message, new RegExp(`\\{ secret: ${name} \\}`));
    });
  }

  it("${{project.NAME}}, $$ and a lone $ stay valid, and $$ writes a literal $", async () => {
    write(app({ REF: "${{project.DATABASE_URL}}", HASH: "$$2y$$05$$abc", PRICE: "5$", SHELL: "echo $${HOME}" }));
    assert.equal((await validate()).code, 0);
    const sim = await startDokploySimulator({ seed: 2 });
    try {
      const r = await runCli(["apply", "s.yaml"], { env: { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey }, cwd: scratch.dir });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const env = String(sim.store.findApplicationByName("web")!.env);
      assert.match(env, /HASH=\$2y\$05\$abc/);
      assert.match(env, /REF=\$\{\{project\.DATABASE_URL\}\}/);
      assert.match(env, /SHELL=echo \$\{HOME\}/);
    } finally {
      await sim.close();
    }
  });
});

describe("characters that display differently from what they are", () => {
  for (const [where, spec, path] of [
    ["an env value", app({ A: "safe\u202Eevil" }), "spec.applications[0].env.A"],
    ["an env value (NUL)", app({ A: "x\u0000y" }), "spec.applications[0].env.A"],
    ["a project name", { project: "shop\u2066x", ...app({}) }, "spec.project"],
    ["an environment name", { environment: "prod\u202Ax", ...app({}) }, "spec.environment"],
  ] as const) {
    it(`in ${where} is a validate error`, async () => {
      write(spec);
      const r = await validate();
      assert.equal(r.code, 1, r.out);
      const e = (JSON.parse(r.out) as { errors: { code: string; path: string }[] }).errors.find((x) => x.path === path);
      assert.ok(e, r.out);
      assert.ok(e.code === "schema.unsafe-character" || e.code === "schema.invalid-format", e.code);
    });
  }
});
