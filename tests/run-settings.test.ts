/**
 * How `stackctl run` settles its settings: flags over environment over the ControllerConfig file over defaults, with
 * credentials resolved and clear errors for a missing source or a malformed value.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, loadConfig } from "../cmd/config.ts";
import { run } from "../cmd/run.ts";
import { resolveRunSettings } from "../cmd/run-settings.ts";
import { runVerb } from "./helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "stackctl-settings-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const targetEnv = { DOKPLOY_URL: "http://127.0.0.1:9", DOKPLOY_API_KEY: "k" };

function withFile(yaml: string, env: Record<string, string> = {}) {
  const path = join(dir, "controller-config.yaml");
  writeFileSync(path, `apiVersion: stackctl.dev/v1alpha1\nkind: ControllerConfig\ntargets:\n  - { name: main, provider: dokploy, url: "http://127.0.0.1:9", apiKey: { fromEnv: KEY } }\n${yaml}`);
  const e = { KEY: "k", ...env };
  return { config: loadConfig(path, e, dir), env: e };
}

describe("stackctl run settings", () => {
  it("takes defaults when only --git is given", () => {
    const config = loadConfig(undefined, targetEnv, dir);
    const s = resolveRunSettings({ git: "https://example.invalid/stacks.git" }, config, targetEnv, dir, false);
    assert.deepEqual(s.source, { kind: "git", url: "https://example.invalid/stacks.git", branch: "main", path: "." });
    assert.equal(s.pollIntervalMs, 60_000);
    assert.equal(s.driftIntervalMs, 600_000);
    assert.deepEqual(s.listen, { host: "0.0.0.0", port: 8080 });
    assert.equal(s.dataDir, join(dir, ".stackctl"));
    assert.equal(s.workers, 4);
    assert.equal(s.logFormat, "json");
    assert.deepEqual(s.hooks, {});
  });

  it("prefers flags over environment over the file", () => {
    const { config, env } = withFile(
      "source:\n  git: { url: https://example.invalid/file.git, branch: file-branch, path: file-path, interval: 5m }\ncontroller:\n  listen: 127.0.0.1:7000\n  driftInterval: 20m\n",
      { STACKCTL_GIT_BRANCH: "env-branch", STACKCTL_LISTEN: "127.0.0.1:7001" },
    );
    const s = resolveRunSettings({ path: "flag-path" }, config, env, dir, false);
    assert.deepEqual(s.source, { kind: "git", url: "https://example.invalid/file.git", branch: "env-branch", path: "flag-path" });
    assert.equal(s.pollIntervalMs, 300_000);
    assert.equal(s.driftIntervalMs, 1_200_000);
    assert.deepEqual(s.listen, { host: "127.0.0.1", port: 7001 });
  });

  it("resolves Git and webhook credentials by reference, from files or the environment", () => {
    const tokenFile = join(dir, "git-token");
    writeFileSync(tokenFile, "tok-from-file\n");
    const { config, env } = withFile(
      `source:\n  git: { url: https://example.invalid/s.git, auth: { token: { fromFile: ${tokenFile} } } }\ncontroller:\n  webhooks:\n    github: { secret: { fromEnv: GH } }\n`,
      { GH: "gh-secret", STACKCTL_WEBHOOK_TOKEN: "bearer-1" },
    );
    const s = resolveRunSettings({}, config, env, dir, false);
    assert.deepEqual(s.source.kind === "git" && s.source.auth, { token: "tok-from-file" });
    assert.deepEqual(s.hooks, { githubSecret: "gh-secret", bearerToken: "bearer-1" });
  });

  it("reads a directory source, resolved against the working directory", () => {
    const config = loadConfig(undefined, targetEnv, dir);
    const s = resolveRunSettings({ dir: "stacks", interval: "10s" }, config, targetEnv, dir, true);
    assert.deepEqual(s.source, { kind: "directory", path: join(dir, "stacks") });
    assert.equal(s.pollIntervalMs, 10_000);
    assert.equal(s.logFormat, "pretty", "a terminal gets readable logs");
  });

  it("fails clearly without a source, with two sources, or with a malformed value", () => {
    const config = loadConfig(undefined, targetEnv, dir);
    const fails = (flags: Record<string, string>, pattern: RegExp) =>
      assert.throws(() => resolveRunSettings(flags, config, targetEnv, dir, false), (err: unknown) => err instanceof ConfigError && pattern.test(err.message));
    fails({}, /no manifest source: pass --git URL/);
    fails({ git: "https://example.invalid/s.git", dir: "x" }, /either a Git repository \(--git\) or a directory/);
    fails({ dir: "x", listen: "8080" }, /--listen must be HOST:PORT/);
    fails({ dir: "x", interval: "soon" }, /--interval must be a duration/);
    fails({ dir: "x", workers: "0" }, /--workers must be a positive integer/);
  });
});

describe("stackctl run refuses to start on bad settings", () => {
  it("exits 2 with the problem and its code, before listening or touching any server", async () => {
    const noSource = await runVerb(run, [], { env: targetEnv, cwd: dir });
    assert.equal(noSource.code, 2);
    assert.match(noSource.stderr, /stackctl run: no manifest source: .* \[config\.missing\]/);
    const badFlag = await runVerb(run, ["--dir", "x", "--nope"], { env: targetEnv, cwd: dir });
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /Unknown option '--nope'[\s\S]*usage: stackctl run/);
    const noTarget = await runVerb(run, ["--dir", "x"], { env: {}, cwd: dir });
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /\[config\.missing\]/);
  });
});
