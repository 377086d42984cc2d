/**
 * `stackctl run` as a process against each provider's simulator, from one table: a pushed commit is applied after a
 * webhook, an application edited by hand is restored at the next drift check, and a removed manifest is torn down.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { githubPush, gitOrigin, scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";
import type { FixtureFactory } from "./helpers/targets.ts";
import { coolifyFixture, dokployFixture } from "./helpers/targets.ts";

const SECRET = "provider-hook-secret";
const FIXTURES: [string, FixtureFactory][] = [
  ["Dokploy", dokployFixture],
  ["Coolify", coolifyFixture()],
];
const stack = (name: string, image = "nginx:1.27") => stackYaml(name, { project: `proj-${name}`, environment: "production", applications: [{ name: `${name}-web`, image, ports: [80] }] });

for (const [label, factory] of FIXTURES) {
  describe(`stackctl run against ${label}`, () => {
    it("applies a pushed commit, restores a hand edit at the drift check, and tears down a removed stack", async () => {
      const target = await factory();
      const origin = gitOrigin();
      const scratch = scratchDir();
      let c: Awaited<ReturnType<typeof startController>> | undefined;
      try {
        origin.commit({ "stacks/one.yaml": stack("one"), "stacks/two.yaml": stack("two"), "stacks/three.yaml": stack("three") });
        const env = { ...target.env(), STACKCTL_GITHUB_WEBHOOK_SECRET: SECRET };
        const args = ["--git", origin.bare, "--path", "stacks", "--data-dir", `${scratch.dir}/data`, "--interval", "1h", "--drift-interval", "3s"];
        c = await startController(args, env, scratch.dir);
        await waitUntil("all applied", () => ["one", "two", "three"].every((n) => target.app(`${n}-web`)?.image === "nginx:1.27"), 15_000);
        origin.commit({ "stacks/one.yaml": stack("one", "nginx:1.28") });
        const hook = githubPush(SECRET);
        assert.equal(await c.post("/hooks/github", hook.body, hook.headers), 202);
        await waitUntil("update applied", () => target.app("one-web")?.image === "nginx:1.28", 5_000);
        target.editByHand("two-web", { image: "evil:1", command: "sh" });
        await waitUntil("drift restored", () => target.app("two-web")?.image === "nginx:1.27", 12_000);
        origin.commit({ "stacks/three.yaml": null });
        const next = githubPush(SECRET); // a new delivery: the same one again is a replay and triggers nothing
        assert.equal(await c.post("/hooks/github", next.body, next.headers), 202);
        await waitUntil("three torn down", () => target.app("three-web") === undefined && target.projectApps("proj-three").length === 0, 15_000);
        assert.ok(target.app("one-web") && target.app("two-web"), "the others stay");
        assert.equal(await c.stop(), 0, c.stderr());
      } finally {
        if (c && c.child.exitCode === null) await c.stop();
        await target.close();
        origin.cleanup();
        scratch.cleanup();
      }
    });
  });
}
