/**
 * Issue #9: a Git token written into the URL is treated like STACKCTL_GIT_TOKEN (never on git's command line, never
 * in `.git/config`), and git runs with a minimal environment. Real git against a bare repository served by
 * `git http-backend` on 127.0.0.1; a stand-in `git` first on PATH records each command line and environment.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { isSourceError } from "../controller/sources/errors.ts";
import { createGitSource } from "../controller/sources/git.ts";
import type { HttpGit } from "./helpers/git-http.ts";
import { startHttpGit } from "./helpers/git-http.ts";

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" };
const REAL_GIT = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();

let root = "";
let server: HttpGit | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  rmSync(root, { recursive: true, force: true });
});

/** An origin with one commit, and a recording `git` wrapper; returns paths. */
function setup() {
  root = mkdtempSync(join(tmpdir(), "stackctl-safety-git-"));
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  git(root, "init", "-q", "--bare", "--initial-branch=main", join(root, "origin.git"));
  git(root, "init", "-q", "--initial-branch=main", join(root, "work"));
  mkdirSync(join(root, "work", "stacks"));
  writeFileSync(join(root, "work", "stacks", "a.yaml"), "a: 1\n");
  git(join(root, "work"), "add", "-A");
  git(join(root, "work"), "commit", "-q", "-m", "one");
  git(join(root, "work"), "push", "-q", join(root, "origin.git"), "HEAD:main");
  const bin = join(root, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "git"), `#!/bin/sh\necho "$@" >> "${join(root, "argv")}"\nenv >> "${join(root, "env")}"\nexec "${REAL_GIT}" "$@"\n`, { mode: 0o755 });
  return { bin, checkout: join(root, "checkout") };
}

const recorded = (name: "argv" | "env") => readFileSync(join(root, name), "utf8");

describe("a Git token in the URL", () => {
  for (const token of ["ghp_urlToken1234567890", "tok@en:with@signs-987"]) {
    it(`is sent as a header, never on a command line or in .git/config (${token.includes("@") ? "password with @" : "plain"})`, async () => {
      const { bin, checkout } = setup();
      server = await startHttpGit(root, "x-access-token", token);
      const url = server.url.replace("http://", `http://x-access-token:${token}@`);
      const s = createGitSource({ url, branch: "main", path: "stacks", workDir: checkout, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
      await s.fetch();
      await s.fetch(); // the update path (remote set-url, fetch) too
      assert.ok(server.seen.some((h) => h.startsWith("Basic ")));
      assert.ok(!recorded("argv").includes(token.split("@")[0]!), recorded("argv"));
      const config = readFileSync(join(checkout, ".git", "config"), "utf8");
      assert.ok(!config.includes(token.split("@")[0]!) && !config.includes("x-access-token"), config);
      assert.ok(!s.subject.includes(token.split("@")[0]!), s.subject);
    });
  }

  it("a refused URL credential never appears in the error", async () => {
    const { checkout } = setup();
    server = await startHttpGit(root, "x-access-token", "the-right-token");
    const token = "p@ss@wrong-token-42";
    const s = createGitSource({ url: server.url.replace("http://", `http://x-access-token:${token}@`), branch: "main", workDir: checkout, env: process.env });
    await assert.rejects(s.fetch(), (e: unknown) => {
      assert.ok(isSourceError(e, "source.fetch-failed"));
      assert.ok(!e.message.includes("wrong-token") && !e.message.includes("p@ss"), e.message);
      return true;
    });
  });
});

describe("git's environment", () => {
  it("holds PATH, HOME, proxy and SSH variables, and nothing else of the process's", async () => {
    const { bin, checkout } = setup();
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: root,
      NO_PROXY: "127.0.0.1",
      SSH_AUTH_SOCK: join(root, "agent.sock"),
      DOKPLOY_API_KEY: "controller-api-key-1234",
      STACKCTL_WEBHOOK_TOKEN: "webhook-token-5678",
      DB_PASSWORD: "stack-secret-9012",
    };
    const s = createGitSource({ url: `file://${join(root, "origin.git")}`, branch: "main", workDir: checkout, env });
    await s.fetch();
    const seen = recorded("env");
    for (const kept of ["HOME=", "NO_PROXY=127.0.0.1", "SSH_AUTH_SOCK="]) assert.ok(seen.includes(kept), `${kept} missing`);
    for (const value of ["controller-api-key-1234", "webhook-token-5678", "stack-secret-9012"]) assert.ok(!seen.includes(value), `${value} leaked to git`);
  });
});
