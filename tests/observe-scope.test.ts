/**
 * The controller reconciles one stack at a time and asks observe() for that stack's project only (`onlyNamed`):
 * each provider must then read just that project in detail, and the other projects it owns in summary.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { run as apply } from "../cmd/apply.ts";
import { loadConfig } from "../cmd/config.ts";
import { createProvider } from "../cmd/providers.ts";
import { runVerb } from "./helpers/cli.ts";
import { manifestDir } from "./helpers/stacks.ts";
import type { FixtureFactory } from "./helpers/targets.ts";
import { coolifyFixture, dokployFixture } from "./helpers/targets.ts";

const FIXTURES: [string, FixtureFactory][] = [
  ["Dokploy", dokployFixture],
  ["Coolify", coolifyFixture()],
];

for (const [label, factory] of FIXTURES) {
  describe(`observe scope on ${label}`, () => {
    it("reads only the named project in detail when asked, whatever else the instance owns", async () => {
      const target = await factory();
      const dir = manifestDir();
      try {
        for (const n of ["one", "two", "three"]) dir.put(n, { project: `proj-${n}`, applications: [{ name: `${n}-web`, image: "nginx:1.27", ports: [80] }] });
        const applied = await runVerb(apply, ["stacks"], { env: target.env(), cwd: dir.dir });
        assert.equal(applied.code, 0, applied.stdout + applied.stderr);
        let requests = 0;
        const config = loadConfig(undefined, target.env(), dir.dir);
        const provider = createProvider(config.targets[0]!, () => void (requests += 1));
        const observe = async (onlyNamed: boolean) => {
          requests = 0;
          const actual = await provider.observe({ instance: config.instance, projectNames: new Set(["proj-one"]), onlyNamed });
          return { requests, detailed: actual.projects.filter((p) => p.detailed).map((p) => p.name).sort() };
        };
        const everything = await observe(false);
        const scoped = await observe(true);
        assert.deepEqual(everything.detailed, ["proj-one", "proj-three", "proj-two"]);
        assert.deepEqual(scoped.detailed, ["proj-one"]);
        assert.ok(scoped.requests < everything.requests, `${scoped.requests} < ${everything.requests}`);
        assert.ok(scoped.requests <= 4, `one stack of one application costs at most 4 requests, not ${scoped.requests}`);
        await provider.close();
      } finally {
        await target.close();
        dir.cleanup();
      }
    });
  });
}
