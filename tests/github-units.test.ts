/**
 * The pure parts of the GitHub integration: which URLs are GitHub repositories, the pull request of an event, the
 * cutting of long comments, and how stack statuses become commit statuses (with the poster's coalescing and backoff
 * driven by hand-held timers).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import pino from "pino";
import { loadConfig } from "../cmd/config.ts";
import { resolveRunSettings } from "../cmd/run-settings.ts";
import { createCommitStatusReporter } from "../controller/github/commit-statuses.ts";
import { pullRequestOfEvent } from "../controller/github/event.ts";
import { buildPlanComment, fitToLimit } from "../controller/github/plan-comment.ts";
import { githubHostsFor, githubRepositoryOf, parseRepositorySlug } from "../controller/github/repository.ts";
import type { CommitStatus } from "../controller/github/status-poster.ts";
import { createStatusPoster } from "../controller/github/status-poster.ts";
import type { Condition } from "../controller/loop/conditions.ts";
import type { StackStatus } from "../controller/loop/status.ts";
import { emptyStatus } from "../controller/loop/status.ts";
import type { Timers } from "../controller/loop/timers.ts";
import { manualTimers } from "./helpers/manual-timers.ts";

describe("GitHub repository of a Git URL", () => {
  const hosts = ["github.com"];
  for (const url of ["https://github.com/acme/stacks.git", "https://github.com/acme/stacks", "https://x-access-token:abc@github.com/acme/stacks.git", "git@github.com:acme/stacks.git", "ssh://git@github.com/acme/stacks.git", "ssh://git@github.com:22/acme/stacks", "https://GitHub.com/acme/stacks/"]) {
    it(url, () => assert.deepEqual(githubRepositoryOf(url, hosts), { owner: "acme", repo: "stacks" }));
  }
  for (const url of ["https://gitlab.com/acme/stacks.git", "/srv/git/stacks.git", "./stacks", "git@gitea.example.com:acme/stacks.git", "https://github.com/acme", "https://github.com/acme/stacks/tree/main", "file:///github.com/acme/stacks"]) {
    it(`not GitHub: ${url}`, () => assert.equal(githubRepositoryOf(url, hosts), null));
  }
  it("a GitHub Enterprise host comes from the API URL", () => {
    const ghe = githubHostsFor("https://ghe.example.com/api/v3");
    assert.deepEqual(ghe, ["github.com", "ghe.example.com"]);
    assert.deepEqual(githubRepositoryOf("git@ghe.example.com:ops/stacks.git", ghe), { owner: "ops", repo: "stacks" });
    assert.deepEqual(githubHostsFor("https://api.github.com"), ["github.com"]);
  });
  it("OWNER/NAME slugs", () => {
    assert.deepEqual(parseRepositorySlug("acme/stacks"), { owner: "acme", repo: "stacks" });
    assert.equal(parseRepositorySlug("acme"), null);
    assert.equal(parseRepositorySlug("acme/stacks/x"), null);
  });
});

describe("the pull request of an event", () => {
  it("reads number and head commit", () => {
    assert.deepEqual(pullRequestOfEvent({ action: "opened", pull_request: { number: 3, head: { sha: "c".repeat(40) } } }), { number: 3, headSha: "c".repeat(40) });
  });
  it("a push event is not one", () => assert.equal(pullRequestOfEvent({ ref: "refs/heads/main", after: "c".repeat(40) }), null));
});

describe("cutting a comment to GitHub's limit", () => {
  const note = "NOTE: cut";
  it("leaves a short body alone", () => assert.equal(fitToLimit("a\nb", 100, note), "a\nb"));
  it("cuts at a line, closes the open fence and collapsible blocks, ends with the note", () => {
    const body = ["head", "<details><summary>x</summary>", "", "````diff", ...Array.from({ length: 200 }, (_, i) => `+ line ${i}`), "````", "</details>"].join("\n");
    const cut = fitToLimit(body, 500, note);
    assert.ok(cut.length <= 500, String(cut.length));
    assert.match(cut, /\+ line \d+\n````\n<\/details>\nNOTE: cut$/);
  });
  it("scrubs before cutting", () => {
    const body = buildPlanComment({
      marker: "<!-- m -->", target: "t", repository: { owner: "o", repo: "r" }, serverUrl: "https://github.com", headSha: null,
      validation: [], outcome: { unreachable: "connect to https://u:hunter22@db.internal failed" }, summaryUrl: null,
      scrub: (s) => s.replaceAll("hunter22", "[redacted]"),
    });
    assert.ok(!body.includes("hunter22"));
    assert.match(body, /could not be reached from CI/);
  });
});

const T0 = new Date(0);
function status(name: string, revision: string, ready: Condition["status"], reason = "Succeeded", extra: Partial<StackStatus> = {}): StackStatus {
  return { ...emptyStatus(name, "prod"), lastAttemptedRevision: revision, conditions: [{ type: "Ready", status: ready, reason, message: reason, lastTransitionTime: T0.toISOString() }], ...extra };
}

describe("commit statuses from stack statuses", () => {
  const setup = () => {
    const posted: CommitStatus[] = [];
    const statuses = new Map<string, StackStatus>();
    const reporter = createCommitStatusReporter({ targets: ["prod"], post: (s) => void posted.push(s), scrub: (s) => s.replaceAll("s3cret", "[redacted]"), publicUrl: "https://ctl.test/" });
    const set = (s: StackStatus | undefined, name = s!.name) => {
      if (s) statuses.set(name, s);
      else statuses.delete(name);
      reporter.statusChanged(name, s);
    };
    const inForce = (revision: string, stacks: { name: string; target: string | null; removed?: boolean }[], unattributed: string[] = []) =>
      reporter.revisionInForce({ revision, stacks: stacks.map((s) => ({ removed: false, ...s })), unattributed }, (n) => statuses.get(n));
    const seen = () => posted.map((p) => `${p.sha} ${p.state}`);
    return { posted, set, inForce, seen };
  };

  it("pending until every changed stack is ready at this revision, then success", () => {
    const { set, inForce, seen, posted } = setup();
    set(status("a", "r0", "True"));
    inForce("r1", [{ name: "a", target: "prod" }, { name: "b", target: "prod" }]);
    assert.deepEqual(seen(), ["r1 pending"]);
    set(status("a", "r1", "True"));
    set(status("b", "r1", "Unknown", "Progressing", { conditions: [{ type: "Ready", status: "Unknown", reason: "Progressing", message: "", lastTransitionTime: "" }, { type: "Reconciling", status: "True", reason: "Progressing", message: "", lastTransitionTime: "" }] }));
    assert.deepEqual(seen(), ["r1 pending"]);
    set(status("b", "r1", "True"));
    assert.deepEqual(seen(), ["r1 pending", "r1 success"]);
    assert.equal(posted[1]!.description, "2 stacks applied");
    assert.equal(posted[1]!.context, "stackctl/prod");
    assert.equal(posted[1]!.targetUrl, "https://ctl.test/api/v1/stacks");
  });

  it("failure names the stack and its error (scrubbed); retries do not flap to pending; a later success is posted", () => {
    const { set, inForce, seen, posted } = setup();
    inForce("r1", [{ name: "shop", target: "prod" }]);
    set(status("shop", "r1", "False", "ReconciliationFailed", { lastError: "deploy failed: password s3cret rejected" }));
    assert.equal(posted[1]!.description, "stack/shop: deploy failed: password [redacted] rejected");
    assert.equal(posted[1]!.targetUrl, "https://ctl.test/api/v1/stacks/shop");
    set(status("shop", "r1", "Unknown", "Progressing", { conditions: [{ type: "Reconciling", status: "True", reason: "Progressing", message: "", lastTransitionTime: "" }] }));
    set(status("shop", "r1", "False", "ReconciliationFailed", { lastError: "again" }));
    assert.deepEqual(seen(), ["r1 pending", "r1 failure"]);
    set(status("shop", "r1", "True"));
    assert.deepEqual(seen(), ["r1 pending", "r1 failure", "r1 success"]);
  });

  it("waiting for a dependency is pending; a suspended stack counts as done; a long error is cut to 140", () => {
    const { set, inForce, seen, posted } = setup();
    inForce("r1", [{ name: "a", target: "prod" }, { name: "b", target: "prod" }, { name: "c", target: "prod" }]);
    set(status("a", "r1", "False", "DependencyNotReady"));
    set(status("b", "r1", "Unknown", "Suspended"));
    set(status("c", "r1", "True"));
    assert.deepEqual(seen(), ["r1 pending"]);
    set(status("a", "r1", "False", "ReconciliationFailed", { lastError: "x".repeat(500) }));
    assert.equal(posted[1]!.state, "failure");
    assert.equal(posted[1]!.description.length, 140);
  });

  it("a stack attempted at a later revision settles the earlier one too; other targets' stacks do not count", () => {
    const { set, inForce, seen } = setup();
    inForce("r1", [{ name: "a", target: "prod" }, { name: "x", target: "staging" }]);
    inForce("r2", [{ name: "a", target: "prod" }]);
    set(status("a", "r2", "True"));
    assert.deepEqual(seen(), ["r1 pending", "r2 pending", "r1 success", "r2 success"]);
  });

  it("a manifest that names no stack, or whose target is unknown, fails the revision on every target", () => {
    const { inForce, posted } = setup();
    inForce("r1", [], ["stacks/bad.yaml:1:1: error: not YAML [yaml.syntax]"]);
    assert.equal(posted[0]!.state, "failure");
    assert.equal(posted[0]!.description, "manifests: stacks/bad.yaml:1:1: error: not YAML [yaml.syntax]");
  });

  it("a removed stack is done when its status is gone, failed when its teardown stalled", () => {
    const { set, inForce, seen } = setup();
    set(status("old", "r0", "True"));
    inForce("r1", [{ name: "old", target: "prod", removed: true }]);
    assert.deepEqual(seen(), ["r1 pending"]);
    set(undefined, "old");
    assert.deepEqual(seen(), ["r1 pending", "r1 success"]);
  });

  it("a revision that changes nothing on the target: success at once", () => {
    const { inForce, posted } = setup();
    inForce("r1", []);
    assert.deepEqual(posted.map((p) => [p.state, p.description]), [["success", "no stack changed on this target"]]);
  });
});

describe("the status poster", () => {
  const s = (state: CommitStatus["state"]): CommitStatus => ({ sha: "a".repeat(40), context: "stackctl/prod", state, description: state });

  it("retries with growing backoff, keeps only the latest state per context, honours retry-after", async () => {
    const { timers, advance, delays } = manualTimers();
    const sent: string[] = [];
    let fail = 3;
    const results: string[] = [];
    const poster = createStatusPoster({
      send: async (x) => {
        if (fail-- > 0) throw Object.assign(new Error("down"), { status: 503 });
        sent.push(x.state);
      },
      describe: () => ({ code: "github.unreachable", retryAfterSeconds: fail === 0 ? 30 : null, message: "down" }),
      timers,
      logger: pino({ level: "silent" }),
      onAttempt: (r) => results.push(r),
    });
    poster.enqueue(s("pending"));
    await advance(0);
    assert.deepEqual(delays(), [1000]);
    poster.enqueue(s("success"));
    await advance(1000);
    assert.deepEqual(delays(), [2000]);
    await advance(2000);
    assert.deepEqual(delays(), [30_000], "GitHub's retry-after wins over a shorter backoff");
    await advance(30_000);
    assert.deepEqual(sent, ["success"]);
    assert.deepEqual(results, ["github.unreachable", "github.unreachable", "github.unreachable", "posted"]);
    assert.equal(poster.waiting(), 0);
  });
});

describe("the controller's commit status settings", () => {
  const dir = mkdtempSync(join(tmpdir(), "stackctl-gh-settings-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const settings = (github: string, git: string) => {
    const path = join(dir, "stackctl.yaml");
    writeFileSync(path, `apiVersion: stackctl.dev/v1alpha1\nkind: ControllerConfig\ntargets:\n  - { name: main, provider: dokploy, url: "http://127.0.0.1:9", apiKey: { fromEnv: KEY } }\ncontroller:\n  publicUrl: https://ctl.example.test\n${github}`);
    const env = { KEY: "k", GH: "ghp_settings-token" };
    return resolveRunSettings({ git }, loadConfig(path, env, dir), env, dir, false);
  };

  it("the repository comes from a github.com source URL, the token by reference, the API URL by default", () => {
    const s = settings("  github: { token: { fromEnv: GH } }\n", "https://github.com/acme/stacks.git");
    assert.deepEqual(s.github, { repository: { owner: "acme", repo: "stacks" }, token: "ghp_settings-token", apiUrl: "https://api.github.com" });
    assert.equal(s.publicUrl, "https://ctl.example.test");
  });
  it("a GitHub Enterprise source is recognised from apiUrl's host", () => {
    const s = settings("  github: { token: { fromEnv: GH }, apiUrl: https://ghe.example.test/api/v3 }\n", "git@ghe.example.test:ops/stacks.git");
    assert.deepEqual("repository" in s.github && s.github.repository, { owner: "ops", repo: "stacks" });
  });
  it("off without a token, or for a repository elsewhere unless configured", () => {
    assert.match((settings("", "https://github.com/acme/stacks.git").github as { off: string }).off, /no controller\.github\.token/);
    assert.match((settings("  github: { token: { fromEnv: GH } }\n", "https://gitlab.example.test/acme/stacks.git").github as { off: string }).off, /not a GitHub repository/);
    const configured = settings("  github: { token: { fromEnv: GH }, repository: acme/mirror }\n", "https://gitlab.example.test/acme/stacks.git");
    assert.deepEqual("repository" in configured.github && configured.github.repository, { owner: "acme", repo: "mirror" });
  });
});
