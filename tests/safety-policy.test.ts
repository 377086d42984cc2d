/**
 * Issue #9, "Done when": an operator restricts bind mounts with `policy.hostPaths.allow` in the ControllerConfig;
 * the patterns are validated, and a hostPath outside them is a plan error on that field (nothing of the stack is
 * applied). Without a policy, `/` is allowed. `stackctl diff`/`apply` as real processes against the Dokploy simulator.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { hostPathAllowed } from "../controller/policy.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runCli } from "./helpers/cli.ts";
import { scratchDir, stackYaml } from "./helpers/controller.ts";

let sim: DokploySimulator;
let scratch: ReturnType<typeof scratchDir>;
beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 14 });
  scratch = scratchDir();
});
afterEach(async () => {
  await sim.close();
  scratch.cleanup();
});

function config(policy: unknown): string {
  const doc = { apiVersion: "stackctl.dev/v1alpha1", kind: "ControllerConfig", targets: [{ name: "main", provider: "dokploy", url: sim.url, apiKey: { fromEnv: "KEY" } }], ...(policy === undefined ? {} : { policy }) };
  writeFileSync(join(scratch.dir, "stackctl.yaml"), JSON.stringify(doc));
  return join(scratch.dir, "stackctl.yaml");
}

function stack(hostPath: string): void {
  writeFileSync(join(scratch.dir, "s.yaml"), stackYaml("files", { applications: [{ name: "web", image: "nginx:1.27", volumes: [{ name: "data", mountPath: "/data" }, { hostPath, mountPath: "/host" }] }] }));
}

describe("policy.hostPaths.allow", () => {
  it("refuses a hostPath outside the allowed patterns, naming the field, and writes nothing", async () => {
    const file = config({ hostPaths: { allow: ["/srv/**"] } });
    for (const hostPath of ["/", "/etc", "/srv/../etc", "/srvx"]) {
      stack(hostPath);
      const r = await runCli(["apply", "--config", file, "s.yaml"], { env: { KEY: sim.apiKey }, cwd: scratch.dir });
      assert.equal(r.code, 1, `${hostPath}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /s\.yaml: spec\.applications\[0\]\.volumes\[1\]\.hostPath: stack\/files app\/web: hostPath .* is not allowed by the ControllerConfig's policy\.hostPaths\.allow \(\/srv\/\*\*\).*\[policy\.host-path\]/);
      assert.equal(sim.requests.filter((q) => q.method === "POST").length, 0, hostPath);
    }
    stack("/srv/app/data");
    const ok = await runCli(["apply", "--config", file, "s.yaml"], { env: { KEY: sim.apiKey }, cwd: scratch.dir });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  });

  it("stackctl validate --config reports it on the file, line and field, offline", async () => {
    const file = config({ hostPaths: { allow: ["/srv/**"] } });
    stack("/etc");
    const r = await runCli(["validate", "--format", "json", "--config", file, "s.yaml"], { env: {}, cwd: scratch.dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const e = (JSON.parse(r.stdout) as { errors: { code: string; path: string; line: number }[] }).errors[0]!;
    assert.equal(e.code, "policy.host-path");
    assert.equal(e.path, "spec.applications[0].volumes[1].hostPath");
    assert.ok(e.line > 1);
    assert.equal(sim.requests.length, 0, "validate sends no request");
  });

  it("allows / without a policy (what stackctl does not guarantee)", async () => {
    const file = config(undefined);
    stack("/");
    const r = await runCli(["diff", "--config", file, "s.yaml"], { env: { KEY: sim.apiKey }, cwd: scratch.dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
  });

  it("validates the patterns", async () => {
    const file = config({ hostPaths: { allow: ["srv/**"] } });
    stack("/srv/a");
    const r = await runCli(["diff", "--config", file, "s.yaml"], { env: { KEY: sim.apiKey }, cwd: scratch.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /policy\.hostPaths\.allow\.0: expected an absolute path pattern/);
  });

  it("matches * as one segment and ** as any depth, the directory itself included", () => {
    const policy = { hostPaths: { allow: ["/srv/**", "/data/*"] } };
    assert.equal(hostPathAllowed("/srv", policy), true);
    assert.equal(hostPathAllowed("/srv/a/b/", policy), true);
    assert.equal(hostPathAllowed("/data/x", policy), true);
    assert.equal(hostPathAllowed("/data/x/y", policy), false);
    assert.equal(hostPathAllowed("/data/x/../../etc", policy), false);
    assert.equal(hostPathAllowed("/anything", { hostPaths: { allow: [] } }), false);
    assert.equal(hostPathAllowed("/", {}), true);
  });
});
