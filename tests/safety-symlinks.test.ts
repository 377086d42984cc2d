/**
 * Issue #9: a symbolic link in the source is never followed outside the source root; such a link is an error on its
 * path (`io.outside-root`), and a link inside the root still works. `stackctl validate` on a directory, the Git
 * source with committed links (a real bare repository), and `stackctl run` reporting the error.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { isSourceError } from "../controller/sources/errors.ts";
import { createGitSource } from "../controller/sources/git.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runCli } from "./helpers/cli.ts";
import { gitOrigin, scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";
import type { ControllerProcess } from "./helpers/controller.ts";

const stack = (name: string) => stackYaml(name, { applications: [{ name: "web", image: "nginx:1.27" }] });
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function tree(): { root: string; stacks: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), "stackctl-links-"));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const stacks = join(root, "stacks");
  const outside = join(root, "outside");
  mkdirSync(join(stacks, "team"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(stacks, "a.yaml"), stack("a"));
  writeFileSync(join(stacks, "team", "b.yaml"), stack("b"));
  writeFileSync(join(outside, "secret.yaml"), stack("c"));
  return { root, stacks, outside };
}

describe("stackctl validate with symbolic links", () => {
  it("reports links leaving the directory as errors on their paths, and follows links inside it", async () => {
    const t = tree();
    symlinkSync("/", join(t.stacks, "root"));
    symlinkSync(join(t.outside, "secret.yaml"), join(t.stacks, "stolen.yaml"));
    symlinkSync(join(t.stacks, "team"), join(t.stacks, "team-link"));
    const started = Date.now();
    const r = await runCli(["validate", "--format", "json", "stacks"], { env: {}, cwd: t.root });
    assert.ok(Date.now() - started < 20_000, "the machine's files were not read");
    const doc = JSON.parse(r.stdout) as { errors: { code: string; file: string }[]; stacks: { name: string }[] };
    const outside = doc.errors.filter((e) => e.code === "io.outside-root").map((e) => e.file).sort();
    assert.deepEqual(outside, ["stacks/root", "stacks/stolen.yaml"]);
    assert.equal(r.code, 2, r.stdout);
    assert.ok(!doc.stacks.some((s) => s.name === "c"), "the outside manifest was not read");
    assert.deepEqual(doc.stacks.map((s) => s.name).sort(), ["a", "b"]);
  });
});

describe("the Git source with committed symbolic links", () => {
  it("refuses a manifests path that is a link out of the repository", async () => {
    const origin = gitOrigin();
    cleanups.push(() => origin.cleanup());
    const t = tree();
    origin.commit({ "README.md": "x" });
    symlinkSync(t.outside, join(origin.root, "work", "stacks"));
    origin.commit({}, "link stacks outside");
    const s = createGitSource({ url: origin.bare, branch: "main", path: "stacks", workDir: join(t.root, "checkout"), env: process.env });
    await assert.rejects(s.fetch(), (e: unknown) => isSourceError(e, "source.path-missing") && /symbolic link out of the repository/.test(e.message));
  });

  it("stackctl run reports a committed link to / and keeps serving the other stacks, tearing nothing down", async () => {
    const sim = await startDokploySimulator({ seed: 12 });
    const origin = gitOrigin();
    const scratch = scratchDir();
    cleanups.push(() => sim.close(), () => origin.cleanup(), () => scratch.cleanup());
    origin.commit({ "stacks/a.yaml": stack("a") });
    const env = { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey };
    const c: ControllerProcess = await startController(["--git", origin.bare, "--path", "stacks", "--data-dir", `${scratch.dir}/data`, "--interval", "1s"], env, scratch.dir);
    cleanups.push(() => c.child.exitCode === null && c.stop());
    await waitUntil("a applied", () => sim.store.findProjectByName("a"), 10_000);
    symlinkSync("/", join(origin.root, "work", "stacks", "root"));
    origin.commit({ "stacks/a.yaml": null }, "remove a, add a link to /");
    const logged = await waitUntil("the link reported", () => c.logs.find((l) => JSON.stringify(l).includes("io.outside-root")), 10_000);
    assert.match(JSON.stringify(logged), /stacks\/root|root: a symbolic link/);
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(sim.store.findProjectByName("a"), "a is not torn down while the source has an error");
  });
});

describe("the directory source's watcher", () => {
  it("never follows a symbolic link out of the directory (a link to / would watch the whole machine)", async () => {
    const { watchDirectory } = await import("../controller/sources/directory.ts");
    const t = tree();
    symlinkSync(t.outside, join(t.stacks, "elsewhere"));
    const calls: string[][] = [];
    const w = watchDirectory(t.stacks, { debounceMs: 100, onChange: (p) => void calls.push(p) });
    cleanups.push(() => w.close());
    await w.ready;
    writeFileSync(join(t.outside, "secret.yaml"), stack("changed-outside"));
    writeFileSync(join(t.outside, "new.yaml"), stack("new-outside"));
    await new Promise((r) => setTimeout(r, 800));
    assert.deepEqual(calls, [], "nothing outside is watched");
    writeFileSync(join(t.stacks, "a.yaml"), stack("a2"));
    await waitUntil("a change inside is seen", () => calls.length > 0, 5000);
    assert.deepEqual(calls.flat(), ["a.yaml"]);
  });
});
