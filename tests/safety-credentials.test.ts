/**
 * Issue #9, "a manifest cannot read the controller's credentials": `{ secret: NAME }` never resolves a credential
 * the process uses — by the variable or file it is read from, or by its value — and a ControllerConfig can restrict
 * environment lookups to a prefix. `stackctl diff` and `apply` as real processes against the Dokploy simulator.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runCli } from "./helpers/cli.ts";
import { scratchDir, stackYaml } from "./helpers/controller.ts";

let sim: DokploySimulator;
let scratch: ReturnType<typeof scratchDir>;
beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 4, apiKey: "controller-api-key-0001" });
  scratch = scratchDir();
});
afterEach(async () => {
  await sim.close();
  scratch.cleanup();
});

const manifest = (secret: string) => stackYaml("leak", { project: "leak", applications: [{ name: "web", image: "nginx:1.27", env: { STOLEN: { secret } } }] });

function writeStack(secret: string): void {
  writeFileSync(join(scratch.dir, "leak.yaml"), manifest(secret));
}

function writeConfig(extra: Record<string, unknown>, apiKey: Record<string, string> = { fromEnv: "MY_DOKPLOY_KEY" }): string {
  const doc = { apiVersion: "stackctl.dev/v1alpha1", kind: "ControllerConfig", targets: [{ name: "main", provider: "dokploy", url: sim.url, apiKey }], ...extra };
  writeFileSync(join(scratch.dir, "stackctl.yaml"), JSON.stringify(doc));
  return join(scratch.dir, "stackctl.yaml");
}

describe("the controller's credentials are not stack secrets", () => {
  const processEnv = () => ({
    DOKPLOY_URL: sim.url,
    DOKPLOY_API_KEY: sim.apiKey,
    STACKCTL_WEBHOOK_TOKEN: "webhook-token-0002",
    STACKCTL_GIT_TOKEN: "git-token-0003",
    COOLIFY_TOKEN: "1|coolify-token-0004",
    SAME_VALUE: sim.apiKey,
  });
  for (const name of ["DOKPLOY_API_KEY", "STACKCTL_WEBHOOK_TOKEN", "STACKCTL_GIT_TOKEN", "COOLIFY_TOKEN", "SAME_VALUE"]) {
    it(`{ secret: ${name} } is refused, and nothing is written`, async () => {
      writeStack(name);
      const r = await runCli(["apply", "leak.yaml"], { env: processEnv(), cwd: scratch.dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`secret ${name} is not set .*may not be read by a manifest.*\\[secret\\.missing\\]`));
      assert.equal(sim.store.findApplicationByName("web"), undefined);
      assert.equal(sim.requests.filter((q) => q.method === "POST").length, 0);
    });
  }

  it("every fromEnv and fromFile of the ControllerConfig is refused, whatever its name", async () => {
    const secrets = join(scratch.dir, "secrets");
    mkdirSync(secrets);
    writeFileSync(join(secrets, "HOOK_SECRET"), "github-hook-secret-0005\n");
    writeFileSync(join(secrets, "KEY_COPY"), `${sim.apiKey}\n`);
    const config = writeConfig({
      secretsDir: secrets,
      source: { git: { url: "https://git.example.invalid/stacks.git", auth: { token: { fromEnv: "GIT_PAT" } } } },
      controller: {
        webhooks: { github: { secret: { fromFile: join(secrets, "HOOK_SECRET") } }, generic: { token: { fromEnv: "HOOK_TOKEN" } } },
        api: { token: { fromEnv: "MGMT_TOKEN" } },
      },
    });
    const env = { MY_DOKPLOY_KEY: sim.apiKey, GIT_PAT: "git-pat-0006", HOOK_TOKEN: "hook-token-0007", MGMT_TOKEN: "mgmt-token-0012", MGMT_COPY: "mgmt-token-0012" };
    for (const name of ["MY_DOKPLOY_KEY", "GIT_PAT", "HOOK_TOKEN", "HOOK_SECRET", "KEY_COPY", "MGMT_TOKEN", "MGMT_COPY"]) {
      writeStack(name);
      const r = await runCli(["diff", "--config", config, "leak.yaml"], { env, cwd: scratch.dir });
      assert.equal(r.code, 2, `${name}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /may not be read by a manifest/, name);
    }
  });

  it("an ordinary secret still resolves", async () => {
    writeStack("DB_PASSWORD");
    const r = await runCli(["apply", "leak.yaml"], { env: { ...processEnv(), DB_PASSWORD: "db-password-0008" }, cwd: scratch.dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(sim.store.findApplicationByName("web"));
  });
});

describe("secretsEnvPrefix", () => {
  it("looks up only names with the prefix in the environment; files still resolve", async () => {
    const secrets = join(scratch.dir, "secrets");
    mkdirSync(secrets);
    writeFileSync(join(secrets, "FROM_FILE"), "file-value-0009\n");
    const config = writeConfig({ secretsDir: secrets, secretsEnvPrefix: "APP_" });
    const env = { MY_DOKPLOY_KEY: sim.apiKey, HOME_SECRET: "not-for-stacks-0010", APP_DB: "app-db-0011" };
    writeStack("HOME_SECRET");
    const refused = await runCli(["diff", "--config", config, "leak.yaml"], { env, cwd: scratch.dir });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /secret HOME_SECRET is not set .*only for names starting with APP_/);
    for (const name of ["APP_DB", "FROM_FILE"]) {
      writeStack(name);
      const ok = await runCli(["diff", "--config", config, "leak.yaml"], { env, cwd: scratch.dir });
      assert.equal(ok.code, 1, `${name}: ${ok.stderr}`);
    }
  });
});
