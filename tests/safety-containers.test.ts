/**
 * Safety matrix, deletion: projects and environments hold more than applications. A compose service, a database or
 * a Coolify service that someone added by hand keeps its environment and project in place when the stack that made
 * them goes away; stackctl removes its own applications only and says why it keeps the container.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run as apply } from "../cmd/apply.ts";
import { run as diff } from "../cmd/diff.ts";
import { runVerb } from "./helpers/cli.ts";
import { manifestDir } from "./helpers/stacks.ts";
import type { FixtureFactory } from "./helpers/targets.ts";
import { coolifyFixture, dokployFixture } from "./helpers/targets.ts";

const FIXTURES: [string, FixtureFactory][] = [
  ["Dokploy", dokployFixture],
  ["Coolify", coolifyFixture()],
];

const web = (name: string) => ({ applications: [{ name, image: "nginx:1.27", ports: [80] }] });

for (const [label, factory] of FIXTURES) {
  describe(`containers holding foreign resources on ${label}`, () => {
    it("keeps a project whose default environment holds a resource made by hand, deleting only the stack's application", async () => {
      const target = await factory();
      const dir = manifestDir();
      try {
        dir.put("blog", { project: "blog", ...web("blog-web") });
        dir.put("keeper", { project: "keeper", ...web("keeper-web") });
        assert.equal((await runVerb(apply, ["stacks"], { env: target.env(), cwd: dir.dir })).code, 0);
        const noun = target.addForeign("blog", "production", "service");
        dir.remove("blog");
        const planned = await runVerb(diff, ["stacks"], { env: target.env(), cwd: dir.dir });
        assert.match(planned.stdout, /- delete application stack\/blog app\/blog-web/);
        assert.doesNotMatch(planned.stdout, /delete project project\/blog/);
        assert.match(planned.stdout, new RegExp(`keep project/blog: holds 1 ${noun} not managed by stackctl`));
        const applied = await runVerb(apply, ["stacks"], { env: target.env(), cwd: dir.dir });
        assert.equal(applied.code, 0, applied.stdout + applied.stderr);
        assert.deepEqual(target.projectApps("blog"), [[]], "the application is gone, the project stays");
        assert.equal(target.foreignCount(), 1, "the resource made by hand is untouched");
      } finally {
        dir.cleanup();
        await target.close();
      }
    });

    it("keeps a non-default environment that holds a database made by hand, and its project", async () => {
      const target = await factory();
      const dir = manifestDir();
      try {
        dir.put("shop", { project: "shop", environment: "staging", ...web("shop-web") });
        dir.put("keeper", { project: "keeper", ...web("keeper-web") });
        assert.equal((await runVerb(apply, ["stacks"], { env: target.env(), cwd: dir.dir })).code, 0);
        const noun = target.addForeign("shop", "staging", "database");
        dir.remove("shop");
        const planned = await runVerb(diff, ["stacks"], { env: target.env(), cwd: dir.dir });
        assert.match(planned.stdout, new RegExp(`keep project/shop env/staging: holds 1 ${noun} not managed by stackctl`));
        assert.doesNotMatch(planned.stdout, /delete (environment|project) project\/shop/);
        const applied = await runVerb(apply, ["stacks"], { env: target.env(), cwd: dir.dir });
        assert.equal(applied.code, 0, applied.stdout + applied.stderr);
        assert.deepEqual(target.environments("shop"), [["production", "staging"]]);
        assert.equal(target.foreignCount(), 1);
      } finally {
        dir.cleanup();
        await target.close();
      }
    });

    it("keeps an environment a stack moved away from when it holds a resource made by hand", async () => {
      const target = await factory();
      const dir = manifestDir();
      try {
        dir.put("shop", { project: "shop", environment: "staging", ...web("shop-web") });
        assert.equal((await runVerb(apply, ["stacks"], { env: target.env(), cwd: dir.dir })).code, 0);
        const noun = target.addForeign("shop", "staging", "service");
        dir.put("shop", { project: "shop", environment: "preview", ...web("shop-web") });
        const applied = await runVerb(apply, ["stacks"], { env: target.env(), cwd: dir.dir });
        assert.equal(applied.code, 0, applied.stdout + applied.stderr);
        assert.match(applied.stdout, new RegExp(`keep project/shop env/staging: holds 1 ${noun} not managed by stackctl`));
        assert.deepEqual(target.environments("shop"), [["preview", "production", "staging"]]);
        assert.equal(target.foreignCount(), 1);
      } finally {
        dir.cleanup();
        await target.close();
      }
    });
  });
}
