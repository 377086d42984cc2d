/**
 * Safety matrix, deletion (see docs/safety.md): copied markers, files that stop being Stacks, stacks that would
 * lose every application, applying one file, targeting and renames — each through the CLI against the Dokploy
 * simulator, as the issue reproduced them.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { run as apply } from "../cmd/apply.ts";
import { run as diff } from "../cmd/diff.ts";
import { run as validate } from "../cmd/validate.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runVerb } from "./helpers/cli.ts";
import type { ManifestDir } from "./helpers/stacks.ts";
import { manifestDir } from "./helpers/stacks.ts";

let sim: DokploySimulator;
let dir: ManifestDir;
const env = () => ({ DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey });
const verb = (v: typeof apply, ...args: string[]) => runVerb(v, args, { env: env(), cwd: dir.dir });
const web = (name: string, image = "nginx:1.27") => ({ applications: [{ name, image, ports: [80] }] });
const apps = () => sim.store.applications.map((a) => a.name).sort();
const appId = (name: string) => sim.store.findApplicationByName(name)?.applicationId;

before(async () => {
  sim = await startDokploySimulator({ seed: 9 });
});
after(() => sim.close());
beforeEach(() => {
  for (const p of [...sim.store.projects]) sim.store.deleteProject(p.projectId);
  dir?.cleanup();
  dir = manifestDir();
});

async function applyAll(...args: string[]): Promise<void> {
  const out = await verb(apply, "stacks", ...args);
  assert.equal(out.code, 0, out.stdout + out.stderr);
}

describe("a copied marker is not ownership of everything", () => {
  it("keeps a project whose description carries a copied marker when it holds a compose service", async () => {
    dir.put("keeper", { project: "keeper", ...web("keeper-web") });
    await applyAll();
    const { environment } = sim.store.insertProject({ name: "copied", description: "[managed-by stackctl instance=default stack=old]" });
    sim.store.insertCompose({ name: "wiki", environmentId: environment.environmentId, sourceType: "raw" });
    const planned = await verb(diff, "stacks");
    assert.doesNotMatch(planned.stdout, /delete project project\/copied/);
    assert.match(planned.stdout, /keep project\/copied: holds 1 compose service not managed by stackctl/);
    await applyAll();
    assert.equal(sim.store.compose.length, 1);
    assert.ok(sim.store.findProjectByName("copied"));
  });

  it("counts a project cleanup in the mass-deletion guard: an emptied project with a copied marker is refused", async () => {
    sim.store.insertProject({ name: "copied", description: "[managed-by stackctl instance=default stack=old]" });
    dir.write("stacks/README.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\n");
    const applied = await verb(apply, "stacks");
    assert.equal(applied.code, 1, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /refusing to tear down 1 of 1 managed stacks \(old; 2 objects\)/);
    assert.ok(sim.store.findProjectByName("copied"), "nothing was deleted");
  });

  it("rejects a manifest whose description holds the marker syntax, at its line", async () => {
    dir.put("blog", { project: "blog", description: "Blog [managed-by stackctl instance=default stack=other]", ...web("blog-web") });
    const out = await verb(validate, "stacks");
    assert.equal(out.code, 1);
    assert.match(out.stdout, /stacks\/blog\.yaml:\d+:\d+: error spec\.description: .*ownership marker.*\[rules\.marker-in-description\]/);
  });
});

describe("a file that stops being a Stack is not a removed stack", () => {
  const broken: [string, string][] = [
    ["a YAML list", "- apiVersion: stackctl.dev/v1alpha1\n- kind: Stack\n"],
    ["plain text", "TODO\n"],
    ["a merge-conflict marker", "<<<<<<< HEAD\n=======\n>>>>>>> feature\n"],
    ["a mapping without apiVersion and kind", "name: bob\nimage: nginx\n"],
  ];
  for (const [what, text] of broken) {
    it(`tears nothing down when a manifest becomes ${what}, and reports the file and line`, async () => {
      dir.put("alice", { project: "alice", ...web("alice-web") });
      dir.put("bob", { project: "bob", ...web("bob-web") });
      await applyAll();
      dir.write("stacks/bob.yaml", text);
      const planned = await verb(diff, "stacks");
      assert.equal(planned.code, 2);
      assert.match(planned.stderr, /stacks\/bob\.yaml:1:1: error: .*\[(input\.not-a-manifest|yaml\.syntax)\]/);
      assert.doesNotMatch(planned.stdout, /- delete/);
      const applied = await verb(apply, "stacks");
      assert.equal(applied.code, 1);
      assert.deepEqual(apps(), ["alice-web", "bob-web"]);
    });
  }

  it("skips what is clearly something else: another API's object, a ControllerConfig, a GitHub workflow, paths in .stackctlignore or --exclude", async () => {
    dir.put("alice", { project: "alice", ...web("alice-web") });
    dir.write("stacks/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n");
    dir.write("stacks/stackctl.yaml", "apiVersion: stackctl.dev/v1alpha1\nkind: ControllerConfig\ntargets: []\n");
    dir.write(".github/workflows/ci.yml", "on: push\njobs: {}\n");
    dir.write("stacks/compose/docker-compose.yml", "services: {web: {image: nginx}}\n");
    dir.write("stacks/values.yaml", "replicas: 2\n");
    const without = await verb(validate, "stacks", ".github/workflows/ci.yml");
    assert.equal(without.code, 1);
    assert.match(without.stdout, /stacks\/compose\/docker-compose\.yml:1:1: error: .*\[input\.not-a-manifest\]/);
    assert.match(without.stdout, /stacks\/values\.yaml:1:1: error: /);
    dir.write("stacks/.stackctlignore", "# other tools' files\ncompose/\n");
    const ignored = await verb(validate, "stacks", "--exclude", "values.yaml");
    assert.equal(ignored.code, 0, ignored.stdout);
    const planned = await verb(diff, "stacks", "--exclude", "values.yaml");
    assert.equal(planned.code, 1, planned.stdout + planned.stderr);
    assert.match(planned.stdout, /create application stack\/alice app\/alice-web/);
  });
});

describe("a stack that would lose all its applications is guarded", () => {
  it("refuses to delete every application of a stack truncated to no applications", async () => {
    dir.put("alice", { project: "alice", ...web("alice-web") });
    dir.put("bob", { project: "bob", ...web("bob-web") });
    await applyAll();
    dir.put("bob", { project: "bob", applications: [] });
    const applied = await verb(apply, "stacks");
    assert.equal(applied.code, 1);
    assert.match(applied.stdout, /refusing to delete all 1 application\(s\) of the stack.*stackctl\.dev\/allow-empty.*\[plan\.empty-stack\]/);
    assert.deepEqual(apps(), ["alice-web", "bob-web"]);
  });

  it("empties the stack with the annotation stackctl.dev/allow-empty, or with --allow-mass-deletion", async () => {
    dir.put("alice", { project: "alice", ...web("alice-web") });
    dir.put("bob", { project: "bob", ...web("bob-web") });
    await applyAll();
    dir.put("bob", { project: "bob", applications: [] }, { "stackctl.dev/allow-empty": "true" });
    await applyAll();
    assert.deepEqual(apps(), ["alice-web"]);
    dir.put("alice", { project: "alice", applications: [] });
    await applyAll("--allow-mass-deletion");
    assert.deepEqual(apps(), []);
  });
});

describe("applying one file does not tear down the others", () => {
  const labelled = (name: string, team: string) => dir.write(`stacks/${name}.yaml`, `apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata:\n  name: ${name}\n  labels: {team: ${team}}\nspec:\n  project: ${name}\n  applications: [{name: ${name}-web, image: "nginx:1.27", ports: [80]}]\n`);

  it("plans only the stacks of a file given by name", async () => {
    dir.put("alice", { project: "alice", ...web("alice-web") });
    dir.put("bob", { project: "bob", ...web("bob-web") });
    await applyAll();
    dir.remove("bob");
    dir.put("alice", { project: "alice", ...web("alice-web", "nginx:1.28") });
    const applied = await verb(apply, "stacks/alice.yaml");
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.doesNotMatch(applied.stdout, /bob/);
    assert.deepEqual(apps(), ["alice-web", "bob-web"]);
    assert.equal(sim.store.findApplicationByName("alice-web")!.dockerImage, "nginx:1.28");
  });

  it("limits diff and apply to --stack and --selector, and never tears down outside the limit", async () => {
    labelled("alice", "a");
    labelled("bob", "b");
    labelled("carol", "a");
    await applyAll();
    dir.remove("carol");
    labelled("alice", "a");
    const byName = await verb(diff, "stacks", "--stack", "bob");
    assert.equal(byName.code, 0, byName.stdout + byName.stderr);
    assert.doesNotMatch(byName.stdout, /carol|alice/);
    const bySelector = await verb(apply, "stacks", "--selector", "team=a");
    assert.equal(bySelector.code, 0, bySelector.stdout + bySelector.stderr);
    assert.doesNotMatch(bySelector.stdout, /carol/);
    assert.deepEqual(apps(), ["alice-web", "bob-web", "carol-web"], "carol is outside every limit: not torn down");
    const unknown = await verb(diff, "stacks", "--stack", "nobody");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no stack named nobody/);
  });

  it("limits validate to --stack and --selector", async () => {
    labelled("alice", "a");
    dir.put("bob", { project: "bob", applications: [{ name: "x", image: "nginx", ports: ["eighty"] }] });
    assert.equal((await verb(validate, "stacks")).code, 1);
    const limited = await verb(validate, "stacks", "--stack", "alice");
    assert.equal(limited.code, 0, limited.stdout);
    labelled("carol", "b");
    const selected = await verb(validate, "stacks", "--selector", "team=b");
    assert.match(selected.stdout, /2 stacks?/, "carol is checked; a broken stack's labels cannot be read, so its errors stay");
    assert.match(selected.stdout, /stacks\/bob\.yaml/);
    assert.equal((await verb(validate, "stacks", "--stack", "bob")).code, 1);
  });
});

describe("renaming a stack converges", () => {
  it("hands the environment and applications of the old name over to the new one in one plan", async () => {
    dir.put("docs", { project: "docs", ...web("docs-web") });
    dir.put("keeper", { project: "keeper", ...web("keeper-web") });
    await applyAll();
    const before = appId("docs-web");
    dir.remove("docs");
    dir.put("guides", { project: "docs", ...web("docs-web") });
    const planned = await verb(diff, "stacks");
    assert.match(planned.stdout, /adopt environment project\/docs env\/production from stack\/docs/);
    assert.match(planned.stdout, /adopt application stack\/guides app\/docs-web from stack\/docs/);
    assert.doesNotMatch(planned.stdout + planned.stderr, /- delete|ownership\.conflict/);
    await applyAll();
    assert.equal(appId("docs-web"), before, "the same application, not a new one");
    const again = await verb(diff, "stacks");
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });

  it("never robs a stack that still exists, even a broken one", async () => {
    dir.put("docs", { project: "docs", ...web("docs-web") });
    await applyAll();
    dir.write("stacks/docs.yaml", "apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata: {name: docs}\nspec: {project: docs, unknownField: 1}\n");
    dir.put("guides", { project: "docs", ...web("docs-web") });
    const planned = await verb(diff, "stacks");
    assert.match(planned.stdout + planned.stderr, /environment 'production' of project 'docs' is managed by stackctl instance 'default' for stack 'docs'/);
    assert.doesNotMatch(planned.stdout, /⇐ adopt/);
  });

  it("hands nothing over when the input is not the whole source", async () => {
    dir.put("docs", { project: "docs", ...web("docs-web") });
    await applyAll();
    dir.remove("docs");
    dir.put("guides", { project: "docs", ...web("docs-web") });
    const planned = await verb(diff, "stacks/guides.yaml");
    assert.match(planned.stdout + planned.stderr, /for stack 'docs' \[ownership\.conflict\]/);
  });
});
