/**
 * The confirmation before deleting, through a real pseudo-terminal: `yes` applies, `no` and end of input (Ctrl-D)
 * cancel with exit 1 and nothing deleted; --yes and a run without a terminal do not ask; a plan without
 * deletions does not ask either. Colour shows on the terminal, never with NO_COLOR. The CLI runs as a process against the Dokploy simulator on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { run as apply } from "../cmd/apply.ts";
import { STACKCTL, runVerb } from "./helpers/cli.ts";
import { shop } from "./helpers/e2e-scenarios.ts";
import { runInPty } from "./helpers/pty.ts";
import type { ManifestDir } from "./helpers/stacks.ts";
import { manifestDir } from "./helpers/stacks.ts";
import type { TargetFixture } from "./helpers/targets.ts";
import { dokployFixture } from "./helpers/targets.ts";

const PROMPT = /Apply these changes\? Only 'yes' will be accepted: /;

describe("apply asks before deleting, on a terminal", () => {
  let target: TargetFixture;
  let dir: ManifestDir;
  let env: Record<string, string>;
  beforeEach(async () => {
    target = await dokployFixture();
    dir = manifestDir();
    env = { ...target.env(), SHOP_TOKEN: "t0ken-value", STACKCTL_SECRETS_DIR: `${dir.dir}/none` };
    dir.put("shop", shop());
    const first = await runVerb(apply, ["stacks"], { env, cwd: dir.dir });
    assert.equal(first.code, 0, first.stderr);
    dir.put("shop", { applications: [shop().applications[0]] });
  });
  afterEach(async () => {
    await target.close();
    dir.cleanup();
  });
  const startApply = (...args: string[]) => runInPty([process.execPath, STACKCTL, "apply", "stacks", ...args], { env, cwd: dir.dir });

  it("applies after 'yes'", async () => {
    const run = startApply();
    await run.waitFor(PROMPT);
    run.type("yes\r");
    const { code, output } = await run.done;
    assert.equal(code, 0, output);
    assert.match(output, /! 1 to delete:[\s\S]*This plan deletes 1 object\(s\):\r?\n  - application stack\/shop app\/worker/);
    assert.match(output, /Apply: 1 deleted/);
    assert.equal(target.app("worker"), undefined);
  });

  for (const [name, answer] of [["no", "no\r"], ["end of input", "\u0004"]] as const) {
    it(`cancels on ${name}, deleting nothing`, async () => {
      const writes = target.writes();
      const run = startApply();
      await run.waitFor(PROMPT);
      run.type(answer);
      const { code, output } = await run.done;
      assert.equal(code, 1, output);
      assert.match(output, /Apply cancelled/);
      assert.doesNotMatch(output, /Apply: /);
      assert.ok(target.app("worker"), "not deleted");
      assert.equal(target.writes(), writes, "nothing written");
    });
  }

  it("does not ask with --yes, nor without a terminal, nor when nothing is deleted", async () => {
    const quick = startApply("--auto-approve");
    const yes = await quick.done;
    assert.equal(yes.code, 0, yes.output);
    assert.doesNotMatch(yes.output, PROMPT);
    assert.match(yes.output, /\u001b\[31m/, "colour on a terminal");
    assert.equal(target.app("worker"), undefined);
    dir.put("shop", shop());
    const noTty = await runVerb(apply, ["stacks"], { env, cwd: dir.dir });
    assert.equal(noTty.code, 0, noTty.stderr);
    dir.put("shop", shop("nginx:1.28"));
    env.NO_COLOR = "1";
    const update = await startApply().done;
    assert.equal(update.code, 0, update.output);
    assert.doesNotMatch(update.output, PROMPT);
    assert.doesNotMatch(update.output, /\u001b\[/, "never colour with NO_COLOR");
  });

  it("without a terminal, applies a deletion as before: no prompt", async () => {
    const out = await runVerb(apply, ["stacks"], { env, cwd: dir.dir });
    assert.equal(out.code, 0, out.stderr);
    assert.doesNotMatch(out.stdout, PROMPT);
    assert.equal(target.app("worker"), undefined);
  });
});
