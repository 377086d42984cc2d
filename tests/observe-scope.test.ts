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
        // Coolify reads an application's env and its storages, and lists the team's services and databases (which
        // keep containers from removal): 5 + 2A.
        const most = target.provider === "coolify" ? 7 : 4;
        assert.ok(scoped.requests <= most, `one stack of one application costs at most ${most} requests, not ${scoped.requests}`);
        await provider.close();
      } finally {
        await target.close();
        dir.cleanup();
      }
    });
  });
}

describe("observe by remembered project ids on Dokploy", () => {
  it("skips project.all for known projects, and falls back to it when a project is gone", async () => {
    const target = await dokployFixture();
    const dir = manifestDir();
    try {
      for (const n of ["one", "two"]) dir.put(n, { project: `proj-${n}`, applications: [{ name: `${n}-web`, image: "nginx:1.27" }] });
      assert.equal((await runVerb(apply, ["stacks"], { env: target.env(), cwd: dir.dir })).code, 0);
      const paths: string[] = [];
      const config = loadConfig(undefined, target.env(), dir.dir);
      const provider = createProvider(config.targets[0]!, (info) => void paths.push(info.path));
      const request = { instance: config.instance, projectNames: new Set(["proj-one"]), onlyNamed: true, knownProjectsOnly: true };
      await provider.observe(request); // nothing remembered yet: the full read
      assert.ok(paths.some((p) => p.endsWith("project.all")));
      paths.length = 0;
      const direct = await provider.observe(request);
      assert.deepEqual(paths.map((p) => p.replace(/^.*\//, "").replace(/\?.*$/, "")), ["project.one", "application.one"]);
      assert.deepEqual(direct.projects.map((p) => p.name), ["proj-one"]);
      // Someone else deletes the project (another client, so this provider still remembers its id).
      const project = direct.projects[0]!;
      const other = createProvider(config.targets[0]!);
      await other.deleteApplication(project.environments.flatMap((e) => e.applications)[0]!.id);
      for (const env of project.environments.filter((e) => !e.isDefault)) await other.deleteEnvironment({ projectId: project.id, environmentId: env.id, environmentName: env.name });
      await other.deleteProject(project.id);
      await other.close();
      paths.length = 0;
      const after = await provider.observe(request);
      assert.ok(paths.some((p) => p.endsWith("project.all")), "a remembered id that is gone falls back to the full read");
      assert.equal(after.projects.find((p) => p.name === "proj-one"), undefined);
      await provider.close();
    } finally {
      await target.close();
      dir.cleanup();
    }
  });
});
