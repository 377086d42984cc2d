/**
 * The GitHub Action and the example workflow: action.yml is a composite action that installs Node 24 and stackctl
 * from its own checkout (never an unpinned package from a registry), and its main step — run here with bash as the
 * runner would, against the Dokploy simulator and a GitHub-compatible server on 127.0.0.1 — validates with
 * annotations and comments the plan. The workflow a user copies asks for exactly the permissions it needs.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startFakeGitHub } from "./helpers/github.ts";
import type { FakeGitHub } from "./helpers/github.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
type Step = { id?: string; uses?: string; run?: string; shell?: string; with?: Record<string, unknown>; env?: Record<string, string> };
const action = parse(readFileSync(join(root, "action.yml"), "utf8")) as { inputs: Record<string, unknown>; runs: { using: string; steps: Step[] } };
const workflow = parse(readFileSync(join(root, "examples/github/workflow.yaml"), "utf8")) as Record<string, any>;

describe("action.yml", () => {
  it("is a composite action with inputs for the path, the config, the credentials and whether to comment", () => {
    assert.equal(action.runs.using, "composite");
    for (const input of ["path", "config", "comment", "dokploy-url", "dokploy-api-key", "coolify-url", "coolify-token", "github-token"]) assert.ok(input in action.inputs, input);
  });

  it("installs Node 24 and stackctl from the action's own checkout, not from a registry", () => {
    const [node, install] = action.runs.steps;
    assert.match(node!.uses!, /^actions\/setup-node@v\d+$/);
    assert.equal(String(node!.with!["node-version"]), "24");
    assert.match(install!.run!, /npm ci --prefix "\$GITHUB_ACTION_PATH"/);
    const all = action.runs.steps.map((s) => s.run ?? "").join("\n");
    assert.doesNotMatch(all, /npx|npm (install|i) (-g )?stackctl/);
  });

  describe("its main step", () => {
    let gh: FakeGitHub;
    let sim: DokploySimulator;
    let dir: string;
    before(async () => {
      gh = await startFakeGitHub({ token: "ghs_action", owner: "acme", repo: "stacks" });
      sim = await startDokploySimulator({ seed: 9 });
      dir = mkdtempSync(join(tmpdir(), "stackctl-action-"));
      // The action's checkout after `npm ci` has dist/; here dist/cmd/stackctl.js runs this repository's sources.
      mkdirSync(join(dir, "action/dist/cmd"), { recursive: true });
      writeFileSync(join(dir, "action/dist/cmd/stackctl.js"), `import ${JSON.stringify(join(root, "cmd/stackctl.ts"))};\n`);
      mkdirSync(join(dir, "repo/stacks"), { recursive: true });
      writeFileSync(join(dir, "event.json"), JSON.stringify({ pull_request: { number: 5, head: { sha: "d".repeat(40) } } }));
    });
    after(async () => {
      await gh.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const runStep = async () => {
      const step = action.runs.steps.find((s) => s.id === "stackctl")!;
      writeFileSync(join(dir, "output"), "");
      const env = {
        PATH: process.env.PATH, HOME: process.env.HOME,
        GITHUB_ACTION_PATH: join(dir, "action"), GITHUB_OUTPUT: join(dir, "output"), GITHUB_WORKSPACE: join(dir, "repo"),
        GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: "acme/stacks", GITHUB_EVENT_PATH: join(dir, "event.json"),
        INPUT_PATH: "stacks", INPUT_CONFIG: "", INPUT_COMMENT: "true",
        DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, COOLIFY_URL: "", COOLIFY_TOKEN: "", GITHUB_TOKEN: "ghs_action",
      };
      // Not spawnSync: the servers answering the step live in this process.
      const child = spawn("bash", ["-e", "-c", step.run!], { cwd: join(dir, "repo"), env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      return { status, stdout, stderr, output: readFileSync(join(dir, "output"), "utf8") };
    };

    it("passes on a valid change: the plan commented, exit-code 1 as an output", async () => {
      writeFileSync(join(dir, "repo/stacks/shop.yaml"), "apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata:\n  name: shop\nspec:\n  applications:\n    - name: web\n      image: nginx:1.27\n");
      const r = await runStep();
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.output, "exit-code=1\n");
      assert.match(gh.comments.get(5)![0]!.body, /stack\/shop/);
    });

    it("fails on an invalid manifest, with annotations and the error in the comment", async () => {
      writeFileSync(join(dir, "repo/stacks/shop.yaml"), "apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata:\n  name: shop\nspec:\n  applications:\n    - name: web\n      imag: nginx:1.27\n");
      const r = await runStep();
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^::error file=stacks\/shop\.yaml,line=8/m);
      assert.equal(r.output, "exit-code=2\n");
      assert.equal(gh.comments.get(5)!.length, 1, "the same comment, updated");
      assert.match(gh.comments.get(5)![0]!.body, /stacks\/shop\.yaml:8/);
    });
  });
});

describe("examples/github/workflow.yaml", () => {
  it("runs on pull requests with contents: read and pull-requests: write, through the action pinned to a version", () => {
    assert.ok("pull_request" in workflow.on);
    assert.deepEqual(workflow.permissions, { contents: "read", "pull-requests": "write" });
    const steps = workflow.jobs.plan.steps as Step[];
    assert.ok(steps.some((s) => s.uses?.startsWith("actions/checkout@")));
    assert.ok(steps.some((s) => /^[^/]+\/stackctl@v\d+\.\d+\.\d+$/.test(s.uses ?? "")));
  });
});
