/**
 * diff and apply end to end against the Dokploy simulator on 127.0.0.1: real manifests on disk, the real provider,
 * the real HTTP client. Each test starts from an empty simulator.
 */
import assert from "node:assert/strict";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import { run as apply } from "../cmd/apply.ts";
import { run as diff } from "../cmd/diff.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runVerb } from "./helpers/cli.ts";
import type { ManifestDir } from "./helpers/stacks.ts";
import { manifestDir } from "./helpers/stacks.ts";

let sim: DokploySimulator;
let dir: ManifestDir;
let secrets: Record<string, string>;

const env = () => ({ DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, STACKCTL_SECRETS_DIR: `${dir.dir}/no-secrets`, ...secrets });
const applyNow = (...args: string[]) => runVerb(apply, ["stacks", ...args], { env: env(), cwd: dir.dir });
const diffNow = (...args: string[]) => runVerb(diff, ["stacks", ...args], { env: env(), cwd: dir.dir });
const writes = () => sim.requests.filter((r) => r.method === "POST").length;

function shop(image = "nginx:1.27", domains: unknown[] = [{ host: "shop.example.com" }]) {
  return {
    applications: [
      { name: "web", image, ports: [80], env: { LOG_LEVEL: "info", TOKEN: { secret: "SHOP_TOKEN" } }, domains },
      { name: "worker", image: "busybox:1.36", command: "sleep infinity" },
    ],
  };
}

beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 7 });
  dir = manifestDir();
  secrets = { SHOP_TOKEN: "s3cr3t-value-42" };
});
afterEach(async () => {
  await sim.close();
  dir.cleanup();
});
after(() => undefined);

describe("apply against Dokploy", () => {
  it("converges from empty, then a second apply writes nothing", async () => {
    dir.put("shop", shop());
    const dry = await applyNow("--dry-run");
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\+ create project project\/shop[\s\S]*dry run: nothing was applied/);
    assert.equal(writes(), 0, "a dry run writes nothing");
    const first = await applyNow();
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /stack\/shop: applied \(\d+ created/);
    const project = sim.store.findProjectByName("shop");
    assert.ok(project, "project created");
    const web = sim.store.findApplicationByName("web")!;
    assert.equal(web.dockerImage, "nginx:1.27");
    assert.match(String(web.env), /TOKEN=/);
    assert.equal(sim.store.domainsOf(web.applicationId).length, 1);
    assert.ok(sim.store.deploymentsOf(web.applicationId).length >= 1, "deployed");
    const before = writes();
    const second = await applyNow();
    assert.equal(second.code, 0, second.stderr);
    assert.equal(writes(), before, "no write on a converged server");
    assert.match(second.stdout, /stack\/shop \(stacks\/shop.yaml\): no changes/);
    const check = await diffNow();
    assert.equal(check.code, 0, check.stdout);
  });

  it("updates and redeploys on an image change, and never prints the secret", async () => {
    dir.put("shop", shop());
    await applyNow();
    const web = sim.store.findApplicationByName("web")!;
    const deployments = sim.store.deploymentsOf(web.applicationId).length;
    dir.put("shop", shop("nginx:1.28"));
    const d = await diffNow();
    assert.equal(d.code, 1);
    assert.match(d.stdout, /~ update application stack\/shop app\/web/);
    assert.match(d.stdout, /» deploy application stack\/shop app\/web/);
    const a = await applyNow();
    assert.equal(a.code, 0, a.stderr);
    assert.equal(sim.store.findApplicationByName("web")!.dockerImage, "nginx:1.28");
    assert.equal(sim.store.deploymentsOf(web.applicationId).length, deployments + 1);
    const json = await diffNow("--format", "json");
    assert.doesNotMatch(d.stdout + a.stdout + json.stdout + d.stderr + a.stderr, /s3cr3t-value-42/);
  });

  it("adds, changes and removes domains", async () => {
    dir.put("shop", shop());
    await applyNow();
    const webId = sim.store.findApplicationByName("web")!.applicationId;
    dir.put("shop", shop("nginx:1.27", [{ host: "shop.example.com", https: false }, { host: "www.example.com", path: "/app" }]));
    assert.equal((await applyNow()).code, 0);
    const hosts = sim.store.domainsOf(webId).map((d) => `${d.host}${d.path} ${d.https}`).sort();
    assert.deepEqual(hosts, ["shop.example.com/ false", "www.example.com/app true"]);
    dir.put("shop", shop("nginx:1.27", []));
    assert.equal((await applyNow()).code, 0);
    assert.equal(sim.store.domainsOf(webId).length, 0);
  });

  it("deletes a removed application and tears down a removed stack", async () => {
    dir.put("shop", shop());
    dir.put("blog", { applications: [{ name: "ghost", image: "ghost:5" }] });
    dir.put("wiki", { applications: [{ name: "wiki", image: "wikijs:2" }] });
    assert.equal((await applyNow()).code, 0);
    dir.put("shop", { applications: [shop().applications[0]] });
    dir.remove("blog");
    const a = await applyNow();
    assert.equal(a.code, 0, a.stderr + a.stdout);
    assert.equal(sim.store.findApplicationByName("worker"), undefined);
    assert.equal(sim.store.findApplicationByName("ghost"), undefined);
    assert.equal(sim.store.findProjectByName("blog"), undefined, "the emptied project is deleted");
    assert.ok(sim.store.findApplicationByName("wiki"));
  });

  it("shows drift made by hand and undoes it", async () => {
    dir.put("shop", shop());
    await applyNow();
    const web = sim.store.findApplicationByName("web")!;
    sim.store.patchApplication(web.applicationId, { dockerImage: "nginx:evil", command: "sh -c 'mine now'" });
    const d = await diffNow();
    assert.equal(d.code, 1);
    assert.match(d.stdout, /source/);
    assert.match(d.stdout, /command: "sh -c 'mine now'" → \(removed\)/);
    assert.equal((await applyNow()).code, 0);
    assert.equal(sim.store.findApplicationByName("web")!.dockerImage, "nginx:1.27");
    assert.equal((await diffNow()).code, 0);
  });

  it("leaves an unmarked project of the same name untouched, and adopts it on request", async () => {
    const { project, environment } = sim.store.insertProject({ name: "shop", description: "hand made" });
    sim.store.insertApplication({ name: "web", environmentId: environment.environmentId, description: null });
    dir.put("shop", shop());
    const before = writes();
    const a = await applyNow();
    assert.equal(a.code, 1);
    assert.match(a.stdout + a.stderr, /project 'shop' exists and is not managed by stackctl/);
    assert.equal(writes(), before, "nothing written");
    assert.equal(sim.store.project(project.projectId)!.description, "hand made");
    dir.put("shop", shop(), { "stackctl.dev/adopt": "true" });
    const adopted = await applyNow();
    assert.equal(adopted.code, 0, adopted.stderr + adopted.stdout);
    assert.match(sim.store.project(project.projectId)!.description ?? "", /managed-by stackctl/);
    assert.equal(sim.store.applicationsIn(environment.environmentId).filter((x) => x.name === "web").length, 1, "adopted, not duplicated");
  });

  it("fails a stack with a missing secret without writing an empty value, and applies the others", async () => {
    dir.put("shop", shop());
    dir.put("blog", { applications: [{ name: "ghost", image: "ghost:5" }] });
    secrets = {};
    const a = await applyNow();
    assert.equal(a.code, 1);
    assert.match(a.stderr, /secret SHOP_TOKEN is not set/);
    assert.equal(sim.store.findProjectByName("shop"), undefined);
    assert.ok(sim.store.findApplicationByName("ghost"));
  });

  it("never deletes a stack whose manifest broke, and keeps serving the others", async () => {
    dir.put("shop", shop());
    dir.put("blog", { applications: [{ name: "ghost", image: "ghost:5" }] });
    assert.equal((await applyNow()).code, 0);
    dir.write("stacks/shop.yaml", "apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata: { name: shop }\nspec:\n  applications:\n    - name: web\n      imag: nginx\n");
    dir.put("blog", { applications: [{ name: "ghost", image: "ghost:6" }] });
    const a = await applyNow();
    assert.equal(a.code, 1);
    assert.match(a.stderr, /stacks\/shop.yaml:7:7/);
    assert.ok(sim.store.findApplicationByName("web"), "broken stack untouched");
    assert.equal(sim.store.findApplicationByName("ghost")!.dockerImage, "ghost:6");
    dir.write("stacks/shop.yaml", "key: [unclosed\n");
    const b = await applyNow();
    assert.equal(b.code, 1);
    assert.ok(sim.store.findApplicationByName("web"), "unparseable file: nothing torn down");
  });

  it("refuses to tear down most stacks unless allowed", async () => {
    for (const name of ["a", "b", "c"]) dir.put(name, { applications: [{ name: `app-${name}`, image: "nginx" }] });
    assert.equal((await applyNow()).code, 0);
    dir.remove("b");
    dir.remove("c");
    const refused = await applyNow();
    assert.equal(refused.code, 1);
    assert.match(refused.stdout + refused.stderr, /refusing to tear down 2 of 3 managed stacks/);
    assert.ok(sim.store.findApplicationByName("app-b"));
    const allowed = await applyNow("--allow-mass-deletion");
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(sim.store.findApplicationByName("app-b"), undefined);
  });

  it("converges through 5xx, 429 and dropped connections, with no duplicates", async () => {
    for (const name of ["a", "b", "c", "d"]) dir.put(name, shop("nginx:1.27", [{ host: `${name}.example.com` }]));
    secrets = { SHOP_TOKEN: "x" };
    sim.setFaults({ errorRate: 0.15, rateLimit429Rate: 0.1, dropRate: 0.05 });
    let last = await applyNow();
    for (let i = 0; i < 8 && last.code !== 0; i += 1) last = await applyNow();
    sim.setFaults({ errorRate: 0, rateLimit429Rate: 0, dropRate: 0 });
    const final = await applyNow();
    assert.equal(final.code, 0, final.stderr);
    for (const name of ["a", "b", "c", "d"]) {
      const project = sim.store.projects.filter((p) => p.name === name);
      assert.equal(project.length, 1, `one project ${name}`);
      const envs = sim.store.environmentsOf(project[0]!.projectId);
      const apps = envs.flatMap((e) => sim.store.applicationsIn(e.environmentId));
      assert.deepEqual(apps.map((x) => x.name).sort(), ["web", "worker"]);
    }
    assert.equal((await diffNow()).code, 0);
  });

  it("reports a refused key and a missing configuration clearly, writing nothing", async () => {
    dir.put("shop", shop());
    const refused = await runVerb(diff, ["stacks"], { env: { ...env(), DOKPLOY_API_KEY: "wrong-key-123" }, cwd: dir.dir });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /target\/default: could not read the server: .*401.*rate limit/s);
    assert.doesNotMatch(refused.stderr + refused.stdout, /wrong-key-123/);
    const unconfigured = await runVerb(apply, ["stacks"], { env: {}, cwd: dir.dir });
    assert.equal(unconfigured.code, 2);
    assert.match(unconfigured.stderr, /stackctl apply: no configuration: .*DOKPLOY_URL.*\[config.missing\]/);
    assert.equal(writes(), 0);
  });
});
