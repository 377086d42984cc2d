import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { isSourceError } from "../controller/sources/errors.ts";
import { createGitSource } from "../controller/sources/git.ts";
import type { GitSourceOptions } from "../controller/sources/git.ts";
import { startHttpGit } from "./helpers/git-http.ts";

const TOKEN = "ghp_testTokenValue1234567890";
const ENV = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" };

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A bare origin plus a work clone to push commits from. */
async function repo() {
  const root = await mkdtemp(join(tmpdir(), "stackctl-git-"));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const bare = join(root, "origin.git");
  const work = join(root, "work");
  git(root, "init", "--bare", "--initial-branch=main", bare);
  git(root, "init", "--initial-branch=main", work);
  git(work, "remote", "add", "origin", bare);
  async function commit(files: Record<string, string | null>, message = "change", force = false): Promise<string> {
    for (const [name, content] of Object.entries(files)) {
      const p = join(work, name);
      if (content === null) await rm(p, { force: true });
      else {
        await mkdir(join(p, ".."), { recursive: true });
        await writeFile(p, content);
      }
    }
    git(work, "add", "-A");
    git(work, "commit", "-q", "--allow-empty", "-m", message);
    git(work, "push", "-q", ...(force ? ["--force"] : []), "origin", "HEAD:main");
    return git(work, "rev-parse", "HEAD");
  }
  return { root, bare, work, commit, url: `file://${bare}`, checkout: join(root, "checkout") };
}

function source(r: Awaited<ReturnType<typeof repo>>, extra: Partial<GitSourceOptions> = {}) {
  return createGitSource({ url: r.url, branch: "main", path: "stacks", workDir: r.checkout, env: process.env, ...extra });
}

describe("git source", () => {
  it("clones shallow on the first fetch and reports the commit", async () => {
    const r = await repo();
    await r.commit({ "stacks/a.yaml": "a: 1\n" }, "one");
    const sha = await r.commit({ "stacks/b.yaml": "b: 1\n" }, "two");
    const s = source(r);
    assert.equal(s.lastRevision(), null);
    const got = await s.fetch();
    assert.deepEqual(got, { revision: sha, dir: join(r.checkout, "stacks") });
    assert.equal(await readFile(join(got.dir, "b.yaml"), "utf8"), "b: 1\n");
    assert.equal(git(r.checkout, "rev-parse", "--is-shallow-repository"), "true");
    assert.equal(git(r.checkout, "rev-list", "--count", "HEAD"), "1");
  });

  it("follows new commits and force pushes, and removes deleted and stray files", async () => {
    const r = await repo();
    await r.commit({ "stacks/a.yaml": "a: 1\n", "stacks/old.yaml": "x: 1\n" });
    const s = source(r);
    await s.fetch();
    await writeFile(join(r.checkout, "stacks", "stray.yaml"), "stray: true\n");
    const second = await r.commit({ "stacks/a.yaml": "a: 2\n", "stacks/old.yaml": null });
    const got = await s.fetch();
    assert.equal(got.revision, second);
    assert.equal(await readFile(join(got.dir, "a.yaml"), "utf8"), "a: 2\n");
    assert.ok(!existsSync(join(got.dir, "old.yaml")));
    assert.ok(!existsSync(join(got.dir, "stray.yaml")), "untracked files are cleaned");
    git(r.work, "reset", "-q", "--hard", "HEAD~1");
    const rewritten = await r.commit({ "stacks/a.yaml": "a: 3\n" }, "rewrite", true);
    assert.equal((await s.fetch()).revision, rewritten);
    assert.equal(await readFile(join(got.dir, "a.yaml"), "utf8"), "a: 3\n");
  });

  it("a failed fetch keeps the last good checkout and reports source.fetch-failed", async () => {
    const r = await repo();
    const sha = await r.commit({ "stacks/a.yaml": "a: 1\n" });
    const s = source(r);
    await s.fetch();
    await rename(r.bare, `${r.bare}.moved`);
    await assert.rejects(s.fetch(), (e: unknown) => isSourceError(e, "source.fetch-failed") && e.subject.includes("#main"));
    assert.equal(s.lastRevision()?.revision, sha);
    assert.equal(await readFile(join(r.checkout, "stacks", "a.yaml"), "utf8"), "a: 1\n");
    await rename(`${r.bare}.moved`, r.bare);
    assert.equal((await s.fetch()).revision, sha);
  });

  it("reports a missing path, and a first clone failure leaves no checkout", async () => {
    const r = await repo();
    await r.commit({ "other/a.yaml": "a: 1\n" });
    await assert.rejects(source(r).fetch(), (e: unknown) => isSourceError(e, "source.path-missing"));
    const missing = createGitSource({ url: `file://${r.root}/nope.git`, branch: "main", workDir: join(r.root, "c2"), env: process.env });
    await assert.rejects(missing.fetch(), (e: unknown) => isSourceError(e, "source.fetch-failed"));
    assert.ok(!existsSync(join(r.root, "c2", ".git")));
  });

  it("concurrent fetches share one run", async () => {
    const r = await repo();
    const sha = await r.commit({ "stacks/a.yaml": "a: 1\n" });
    const s = source(r);
    const [a, b] = [s.fetch(), s.fetch()];
    assert.equal(a, b);
    assert.equal((await a).revision, sha);
  });

  it("rejects unsafe options", () => {
    const base = { url: "file:///x", branch: "main", workDir: "/tmp/x", env: {} };
    for (const bad of [{ branch: "--upload-pack=evil" }, { branch: "a..b" }, { path: "../etc" }, { path: "/etc" }, { url: "-u evil" }, { depth: 0 }]) {
      assert.throws(() => createGitSource({ ...base, ...bad }), (e: unknown) => isSourceError(e, "source.invalid-config"), JSON.stringify(bad));
    }
  });
});

describe("git source over SSH", () => {
  it("runs ssh with the key file, only that identity and accept-new host keys", async () => {
    const r = await repo();
    // A stand-in `ssh` first on PATH records its arguments and fails, as an unreachable host would.
    const bin = join(r.root, "bin");
    await mkdir(bin);
    await writeFile(join(bin, "ssh"), `#!/bin/sh\necho "$@" > "${join(r.root, "ssh-args")}"\necho "connection refused" >&2\nexit 255\n`, { mode: 0o755 });
    const s = createGitSource({
      url: "ssh://git@127.0.0.1:1/repo.git",
      branch: "main",
      workDir: r.checkout,
      auth: { sshKeyFile: "/keys/deploy key" },
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    });
    await assert.rejects(s.fetch(), (e: unknown) => isSourceError(e, "source.fetch-failed"));
    const args = await readFile(join(r.root, "ssh-args"), "utf8");
    assert.match(args, /-i \/keys\/deploy key -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new/);
  });
});

describe("git source over HTTP with a token", () => {
  /** The repositories under `projectRoot` over smart HTTP, requiring Basic `x-access-token:TOKEN`. */
  async function httpGit(projectRoot: string) {
    const server = await startHttpGit(projectRoot, "x-access-token", TOKEN);
    cleanups.push(() => server.close());
    return server;
  }

  it("sends the token as a header, never in the URL, config or errors", async () => {
    const r = await repo();
    const sha = await r.commit({ "stacks/a.yaml": "a: 1\n" });
    const http = await httpGit(r.root);
    const s = source(r, { url: http.url, auth: { token: TOKEN } });
    assert.equal((await s.fetch()).revision, sha);
    const sha2 = await r.commit({ "stacks/a.yaml": "a: 2\n" });
    assert.equal((await s.fetch()).revision, sha2);
    assert.ok(http.seen.length > 0);
    const config = await readFile(join(r.checkout, ".git", "config"), "utf8");
    assert.ok(!config.includes(TOKEN) && !config.includes("extraHeader"), "credentials stay out of .git/config");

    const wrong = source(r, { url: http.url.replace("127.0.0.1", `user:${TOKEN}@127.0.0.1`), auth: { token: `${TOKEN}-wrong` }, workDir: join(r.root, "c3") });
    await assert.rejects(wrong.fetch(), (e: unknown) => {
      assert.ok(isSourceError(e, "source.fetch-failed"));
      assert.ok(!e.message.includes(TOKEN), e.message);
      assert.ok(!e.subject.includes(TOKEN), e.subject);
      return true;
    });
  });
});
