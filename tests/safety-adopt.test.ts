/**
 * Issue #9: adoption keeps the object's existing description in front of the marker, and a second apply writes
 * nothing. `stackctl apply` as a real process against both simulators.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "./helpers/cli.ts";
import { scratchDir, stackYaml } from "./helpers/controller.ts";
import { coolifyFixture, dokployFixture } from "./helpers/targets.ts";

for (const [name, factory] of [["Dokploy", dokployFixture], ["Coolify", coolifyFixture()]] as const) {
  describe(`adopting on ${name}`, () => {
    it("keeps what someone wrote in the project's description, in front of the marker", async () => {
      const target = await factory();
      const scratch = scratchDir();
      try {
        target.insertUnmarked("legacy", "Billing, owned by the payments team", "web");
        const manifest = stackYaml("legacy", { project: "legacy", applications: [{ name: "web", image: "nginx:1.27", ports: [80] }] })
          .replace("metadata:\n  name: legacy", 'metadata:\n  name: legacy\n  annotations:\n    stackctl.dev/adopt: "true"');
        writeFileSync(join(scratch.dir, "legacy.yaml"), manifest);
        const env = target.env();
        const r = await runCli(["apply", "legacy.yaml"], { env, cwd: scratch.dir });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /adopt project project\/legacy/);
        assert.match(String(target.projectDescription("legacy")), /^Billing, owned by the payments team [[(]managed-by stackctl instance=default stack=legacy[\])]$/);
        const before = target.writes();
        const again = await runCli(["apply", "legacy.yaml"], { env, cwd: scratch.dir });
        assert.equal(again.code, 0, again.stdout + again.stderr);
        assert.equal(target.writes(), before, "a second apply writes nothing");
      } finally {
        await target.close();
        scratch.cleanup();
      }
    });
  });
}
