/**
 * `stackctl diff --github-comment` against a GitHub-compatible server and the Dokploy simulator, both on 127.0.0.1:
 * the requests it makes, the comment it leaves, the job summary, and its exit codes when GitHub fails.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { run as apply } from "../cmd/apply.ts";
import { run as diff } from "../cmd/diff.ts";
import { GITHUB_COMMENT_LIMIT } from "../controller/github/plan-comment.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { runVerb } from "./helpers/cli.ts";
import { BOT, primaryRateLimit, secondaryRateLimit, startFakeGitHub } from "./helpers/github.ts";
import type { FakeGitHub } from "./helpers/github.ts";
import { manifestDir } from "./helpers/stacks.ts";
import type { ManifestDir } from "./helpers/stacks.ts";

const HEAD = "a".repeat(40);
const PR = 7;
const TOKEN = "ghs_test-token-123";
const SECRET = "s3cr3t-value-42";

let gh: FakeGitHub;
let sim: DokploySimulator;
let dir: ManifestDir;

function actionsEnv(extra: Record<string, string> = {}): Record<string, string> {
  const event = join(dir.dir, "event.json");
  writeFileSync(event, JSON.stringify({ action: "synchronize", pull_request: { number: PR, head: { sha: HEAD } } }));
  return {
    DOKPLOY_URL: sim.url,
    DOKPLOY_API_KEY: sim.apiKey,
    STACKCTL_SECRETS_DIR: join(dir.dir, "no-secrets"),
    SHOP_TOKEN: SECRET,
    GITHUB_ACTIONS: "true",
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: "https://github.test",
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: "acme/stacks",
    GITHUB_EVENT_PATH: event,
    GITHUB_WORKSPACE: dir.dir,
    GITHUB_RUN_ID: "4242",
    ...extra,
  };
}

const runDiff = (env: Record<string, string>, ...args: string[]) => runVerb(diff, ["--github-comment", "stacks", ...args], { env, cwd: dir.dir });
const writes = () => gh.requests.filter((r) => r.method !== "GET");
const ours = () => (gh.comments.get(PR) ?? []).filter((c) => c.body.startsWith("<!-- stackctl:plan target=default -->"));

function shop(image = "nginx:1.27") {
  return { applications: [{ name: "web", image, ports: [80], env: { LOG_LEVEL: "info", TOKEN: { secret: "SHOP_TOKEN" } }, domains: [{ host: "shop.example.com" }] }] };
}

describe("diff --github-comment", () => {
  beforeEach(async () => {
    gh = await startFakeGitHub({ token: TOKEN, owner: "acme", repo: "stacks" });
    sim = await startDokploySimulator({ seed: 3 });
    dir = manifestDir();
  });
  afterEach(async () => {
    await gh.close();
    await sim.close();
    dir.cleanup();
  });

  it("creates one comment on the first run: summary line, collapsible changes, secrets masked; exit 1", async () => {
    dir.put("shop", shop());
    const r = await runDiff(actionsEnv());
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(writes().map((q) => `${q.method} ${q.path}`), ["POST /repos/acme/stacks/issues/7/comments"]);
    assert.equal(writes()[0]!.authorization, `token ${TOKEN}`);
    const [c] = ours();
    assert.ok(c);
    assert.match(c.body, /^<!-- stackctl:plan target=default -->\n## stackctl plan for target `default`/);
    assert.match(c.body, /every manifest is valid/);
    assert.match(c.body, /<details><summary><code>stack\/shop<\/code> \(stacks\/shop\.yaml\) — 3 to create, 1 to deploy<\/summary>/);
    assert.match(c.body, /TOKEN/);
    assert.ok(!c.body.includes(SECRET), "a secret value reached the comment");
    assert.match(c.body, /for commit aaaaaaa/);
    assert.match(r.stderr, /plan comment created: https:\/\/github\.test\/acme\/stacks\/pull\/7#issuecomment-\d+/);
  });

  it("updates its comment in place on the next push, found on a later page; other comments are left alone", async () => {
    const person = gh.addComment(PR, "Looks good! <!-- stackctl:plan target=default --> quoted", { login: "alice", type: "User" });
    const otherBot = gh.addComment(PR, "<!-- atlantis:plan -->\nAtlantis plan", { login: "atlantis[bot]", type: "Bot" });
    for (let i = 0; i < 120; i++) gh.addComment(PR, `chatter ${i}`, { login: "bob", type: "User" });
    dir.put("shop", shop());
    assert.equal((await runDiff(actionsEnv())).code, 1);
    const first = ours()[0]!;
    dir.put("shop", shop("nginx:1.28"));
    gh.requests.length = 0;
    const r = await runDiff(actionsEnv());
    assert.equal(r.code, 1, r.stderr);
    // Two pages of comments read (ours is the 123rd), then one edit of ours, nothing created.
    assert.deepEqual(gh.requests.filter((q) => q.path.includes("/comments")).map((q) => `${q.method} ${q.path} ${q.query.get("page") ?? 1}`), [
      "GET /repos/acme/stacks/issues/7/comments 1",
      "GET /repos/acme/stacks/issues/7/comments 2",
      `PATCH /repos/acme/stacks/issues/comments/${first.id} 1`,
    ]);
    assert.equal(ours().length, 1);
    assert.match(ours()[0]!.body, /nginx:1\.28/);
    assert.equal(person.body, "Looks good! <!-- stackctl:plan target=default --> quoted");
    assert.equal(otherBot.body, "<!-- atlantis:plan -->\nAtlantis plan");
    assert.equal(gh.comments.get(PR)!.length, 123);
    assert.match(r.stderr, /plan comment updated/);
  });

  it("calls deletions out before the changes", async () => {
    dir.put("shop", shop());
    dir.put("blog", { applications: [{ name: "ghost", image: "ghost:5", ports: [2368] }] });
    const applied = await runVerb(apply, ["stacks"], { env: actionsEnv(), cwd: dir.dir });
    assert.equal(applied.code, 0, applied.stderr);
    dir.remove("blog");
    dir.put("shop", shop("nginx:1.28"));
    assert.equal((await runDiff(actionsEnv())).code, 1);
    const body = ours()[0]!.body;
    const caution = body.indexOf("[!CAUTION]");
    assert.ok(caution > 0 && caution < body.indexOf("<details>"), body);
    assert.match(body, /stack\/blog app\/ghost/);
    assert.match(body, /<code>stack\/blog<\/code> — manifest removed: tearing down — [0-9]+ to delete/);
  });

  it("shows invalid manifests first, with file:line linked to the file at the head commit; exit 2", async () => {
    dir.put("shop", shop());
    dir.write("stacks/bad.yaml", "apiVersion: stackctl.dev/v1alpha1\nkind: Stack\nmetadata:\n  name: bad\nspec:\n  applications:\n    - name: web\n      image: nginx\n      domian: []\n");
    const r = await runDiff(actionsEnv());
    assert.equal(r.code, 2);
    const body = ours()[0]!.body;
    assert.match(body, /:x: 1 error/);
    assert.ok(body.includes("[`stacks/bad.yaml:9`](https://github.test/acme/stacks/blob/" + HEAD + "/stacks/bad.yaml#L9): `spec.applications[0].domian`: unknown field"), body);
    assert.ok(body.indexOf("stacks/bad.yaml:9") < body.indexOf("stack/shop"), "validation comes before the plan");
  });

  it("says when the target cannot be reached, still shows the validation result; exit 2", async () => {
    dir.put("shop", shop());
    const r = await runDiff(actionsEnv({ DOKPLOY_URL: "http://127.0.0.1:1", DOKPLOY_API_KEY: "key-that-must-not-leak" }));
    assert.equal(r.code, 2);
    const body = ours()[0]!.body;
    assert.ok(!body.includes("key-that-must-not-leak"));
    assert.match(body, /Target `default` could not be reached from CI/);
    assert.match(body, /every manifest is valid/);
  });

  it("cuts a plan longer than GitHub's limit and writes the whole plan to the job summary", async () => {
    for (let i = 0; i < 40; i++) {
      const env = Object.fromEntries(Array.from({ length: 60 }, (_, k) => [`VARIABLE_NUMBER_${k}`, `value-${"x".repeat(20)}-${k}`]));
      dir.put(`s${i}`, { applications: [{ name: "web", image: "nginx:1.27", ports: [80], env }] });
    }
    const summary = join(dir.dir, "summary.md");
    writeFileSync(summary, "");
    const r = await runDiff(actionsEnv({ GITHUB_STEP_SUMMARY: summary }));
    assert.equal(r.code, 1, r.stderr);
    const body = ours()[0]!.body;
    assert.ok(body.length < GITHUB_COMMENT_LIMIT, `comment is ${body.length} characters`);
    assert.match(body, /more section\(s\) not shown.*the whole plan is in the \[job summary\]\(https:\/\/github\.test\/acme\/stacks\/actions\/runs\/4242\)/s);
    assert.equal(body.split("<details>").length, body.split("</details>").length, "every collapsible block is closed");
    const whole = readFileSync(summary, "utf8");
    assert.ok(whole.length > GITHUB_COMMENT_LIMIT);
    assert.match(whole, /stack\/s39/);
    assert.doesNotMatch(whole, /not shown/);
  });

  it("outside Actions: --repo and --pr, the head commit read from GitHub", async () => {
    gh.pulls.set(12, "b".repeat(40));
    dir.put("shop", shop());
    const env = { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, SHOP_TOKEN: SECRET, STACKCTL_SECRETS_DIR: join(dir.dir, "x"), GITHUB_API_URL: gh.url, GITHUB_TOKEN: TOKEN };
    const r = await runDiff(env, "--repo", "acme/stacks", "--pr", "12");
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(gh.requests.map((q) => `${q.method} ${q.path}`), ["GET /repos/acme/stacks/pulls/12", "GET /repos/acme/stacks/issues/12/comments", "POST /repos/acme/stacks/issues/12/comments"]);
    assert.match(gh.comments.get(12)![0]!.body, /for commit bbbbbbb/);
  });

  it("without a token or a pull request: a usage error before any request", async () => {
    dir.put("shop", shop());
    const noToken = await runDiff({ ...actionsEnv(), GITHUB_TOKEN: "" });
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /needs GITHUB_TOKEN/);
    const env = actionsEnv();
    delete (env as Record<string, string | undefined>).GITHUB_EVENT_PATH;
    const noPr = await runDiff(env);
    assert.equal(noPr.code, 2);
    assert.match(noPr.stderr, /needs the pull request/);
    assert.equal(gh.requests.length + sim.requests.length, 0);
  });

  it("GitHub answering 5xx: retried, then an error on stderr and exit 2 — never silent", async () => {
    dir.put("shop", shop());
    gh.fault({ status: 502, times: 1 });
    const recovered = await runDiff(actionsEnv());
    assert.equal(recovered.code, 1, recovered.stderr);
    assert.equal(ours().length, 1);
    gh.down(true);
    gh.requests.length = 0;
    const r = await runDiff(actionsEnv());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /github\/acme\/stacks#7: could not post the plan comment: HTTP 503.*\[github\.unreachable\]/);
    assert.equal(gh.requests.length, 3, "one request and two retries");
    assert.ok(!r.stderr.includes(TOKEN));
  });

  it("the primary rate limit (403, x-ratelimit-remaining: 0): waits for the reset and retries", async () => {
    dir.put("shop", shop());
    gh.fault(primaryRateLimit(1, 1));
    const r = await runDiff(actionsEnv());
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /GitHub primary rate limit on GET .*: retrying in [1-3]s/);
    assert.deepEqual(gh.requests.map((q) => q.method), ["GET", "GET", "POST"]);
    assert.equal(ours().length, 1);
  });

  it("a rate limit that resets too late: exit 2 naming the wait", async () => {
    dir.put("shop", shop());
    gh.fault(primaryRateLimit(3600, 5));
    const r = await runDiff(actionsEnv());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /HTTP 403: API rate limit exceeded.*GitHub asks to wait 36\d\ds.*\[github\.rate-limited\]/);
    assert.equal(gh.requests.length, 1);
  });

  it("the secondary rate limit (403 with retry-after): honoured, then the comment is posted", async () => {
    dir.put("shop", shop());
    gh.fault(secondaryRateLimit(1, 1));
    const r = await runDiff(actionsEnv());
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /GitHub secondary rate limit on GET .*: retrying in 1s/);
    assert.deepEqual(ours().map((c) => c.user), [BOT]);
  });
});
