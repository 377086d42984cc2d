/**
 * Safety matrix, deletion, for the controller as a real process (`stackctl run` fed by a local Git origin, against
 * the Dokploy simulator): a manifest that stops being a Stack tears nothing down, and a renamed stack takes over
 * what its old name made instead of deleting it.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { ControllerProcess, GitOrigin } from "./helpers/controller.ts";
import { githubPush, gitOrigin, scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";

const SECRET = "hook-secret-for-tests";
const web = (name: string, image = "nginx:1.27") => ({ applications: [{ name, image, ports: [80] }] });
type Stacks = { items: { name: string; conditions: { type: string; status: string; reason: string; message: string }[]; lastError: string | null }[] };

let sim: DokploySimulator;
let origin: GitOrigin;
let scratch: ReturnType<typeof scratchDir>;
let controller: ControllerProcess | null;

beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 5 });
  origin = gitOrigin();
  scratch = scratchDir();
  controller = null;
});
afterEach(async () => {
  if (controller && controller.child.exitCode === null) await controller.stop();
  await sim.close();
  origin.cleanup();
  scratch.cleanup();
});

function run(): Promise<ControllerProcess> {
  const env = { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, STACKCTL_GITHUB_WEBHOOK_SECRET: SECRET };
  const args = ["--git", origin.bare, "--branch", "main", "--path", "stacks", "--data-dir", `${scratch.dir}/data`, "--interval", "1h"];
  return startController(args, env, scratch.dir).then((c) => (controller = c));
}

async function push(c: ControllerProcess): Promise<void> {
  const hook = githubPush(SECRET);
  assert.equal(await c.post("/hooks/github", hook.body, hook.headers), 202);
}

const ready = async (c: ControllerProcess, name: string) =>
  (await c.json<Stacks>("/api/v1/stacks")).items.find((i) => i.name === name)?.conditions.find((x) => x.type === "Ready")?.status === "True";

describe("stackctl run: nothing foreign is deleted", () => {
  const cases: [string, string][] = [["plain text", "TODO\n"], ["a merge-conflict marker", "<<<<<<< HEAD\n=======\n>>>>>>> feature\n"]];
  for (const [what, text] of cases) {
    it(`tears nothing down when a manifest becomes ${what}, while applying the other stacks`, async () => {
      origin.commit({ "stacks/a.yaml": stackYaml("a", { project: "pa", ...web("a-web") }), "stacks/b.yaml": stackYaml("b", { project: "pb", ...web("b-web") }) });
      const c = await run();
      await waitUntil("both applied", async () => (await ready(c, "a")) && (await ready(c, "b")));
      const logged = c.logs.length;
      origin.commit({ "stacks/b.yaml": text, "stacks/a.yaml": stackYaml("a", { project: "pa", ...web("a-web", "nginx:1.28") }) });
      await push(c);
      await waitUntil("a updated", () => sim.store.findApplicationByName("a-web")?.dockerImage === "nginx:1.28");
      const sweep = () => c.logs.slice(logged).find((l) => String(l.msg).startsWith("teardown suspended"));
      await waitUntil("the sweep's decision", () => sweep() ?? !sim.store.findApplicationByName("b-web"));
      assert.ok(sim.store.findApplicationByName("b-web"), "b's application is still there");
      assert.match(JSON.stringify(sweep()), /b\.yaml:1:1: .*input\.not-a-manifest/);
      assert.ok(sim.store.findProjectByName("pb"), "and its project");
    });
  }

  it("hands a renamed stack's objects over to its new name, without deleting or failing", async () => {
    origin.commit({ "stacks/docs.yaml": stackYaml("docs", { project: "docs", ...web("docs-web") }), "stacks/keep.yaml": stackYaml("keep", { project: "keep", ...web("keep-web") }) });
    const c = await run();
    await waitUntil("applied", async () => (await ready(c, "docs")) && (await ready(c, "keep")));
    const before = sim.store.findApplicationByName("docs-web")!.applicationId;
    origin.commit({ "stacks/docs.yaml": null, "stacks/guides.yaml": stackYaml("guides", { project: "docs", ...web("docs-web") }) });
    await push(c);
    await waitUntil("guides ready", () => ready(c, "guides"), 15_000);
    await waitUntil("docs' status dropped", async () => !(await c.json<Stacks>("/api/v1/stacks")).items.some((i) => i.name === "docs"));
    const apps = sim.store.applications.filter((a) => a.name === "docs-web");
    assert.deepEqual(apps.map((a) => a.applicationId), [before], "the same application, handed over");
    assert.match(String(apps[0]!.description), /stack=guides/);
    assert.ok(!c.logs.some((l) => JSON.stringify(l).includes("ownership.conflict")), "no run failed with a conflict");
  });
});
