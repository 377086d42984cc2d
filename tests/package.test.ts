/**
 * The built artefact works as the source does: `npm pack` (which builds dist/ through `prepare`), the tarball
 * installed in an empty temporary project, and the installed `stackctl` run as a real process — version and help,
 * `validate examples/`, both dev servers answering (Coolify's request validation loads its contract from dist/),
 * `diff`, `apply` and `run` against the Dokploy one, `npx stackctl dev-server` stopped by SIGTERM and by Ctrl-C with
 * nothing left listening, and the Node check on an old Node. Installing takes the dependencies from npm's cache.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { waitUntil } from "./helpers/controller.ts";
import { reaped } from "./helpers/processes.ts";
import { manifestDir } from "./helpers/stacks.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
// npm is run by the Node running the tests, whatever `node` comes first on the PATH.
const PATH = [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter);
const ENV = { ...process.env, PATH, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

let scratch: string;
let app: string;
let installed: string;
let packed: string[];

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), "stackctl-pack-"));
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", scratch], { cwd: root, env: ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [info] = JSON.parse(out.slice(out.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);
  app = join(scratch, "app");
  execFileSync("mkdir", [app]);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "uses-stackctl", private: true }));
  execFileSync("npm", ["install", "--prefer-offline", join(scratch, info!.filename)], { cwd: app, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
  installed = join(app, "node_modules", "stackctl");
}, { timeout: 240_000 });

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const BIN = () => join(app, "node_modules", ".bin", "stackctl");

/** Runs the installed stackctl to completion. */
function stackctl(args: string[], cwd = installed, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [BIN(), ...args], { cwd, env: { PATH, HOME: process.env.HOME ?? cwd, ...env }, encoding: "utf8", timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A long-running process, with its output so far and a way to wait for a line of it. */
function background(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; detached?: boolean }) {
  const child: ChildProcess = reaped(spawn(command, args, { cwd: options.cwd, env: { PATH, HOME: process.env.HOME ?? options.cwd, ...options.env }, stdio: ["ignore", "pipe", "pipe"], detached: options.detached ?? false }));
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => stdout + stderr,
    waitFor: (pattern: RegExp) => waitUntil(`output ${pattern}`, () => pattern.exec(stdout), 30_000, 25),
  };
}

/** Whether anything still answers on `url`. */
async function answers(url: string): Promise<boolean> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(2_000) })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

describe("the npm package", { timeout: 300_000 }, () => {
  it("holds the built CLI, the Coolify contract, schemas, examples and README, and no sources or tests", () => {
    for (const file of ["dist/cmd/bin.js", "dist/cmd/stackctl.js", "dist/simulators/coolify/contract/coolify-openapi.json", "schemas/stack.v1alpha1.json", "examples/multi-app.yaml", "README.md", "package.json"]) {
      assert.ok(packed.includes(file), `${file} is packed`);
    }
    assert.deepEqual(packed.filter((f) => f.endsWith(".ts") || /^(tests|bench|scripts|simulators)\//.test(f)), []);
  });

  it("prints its version and lists both dev servers", () => {
    assert.deepEqual(stackctl(["--version"]), { code: 0, stdout: `stackctl ${pkg.version}\n`, stderr: "" });
    assert.equal(stackctl(["version"]).stdout, `stackctl ${pkg.version}\n`);
    const help = stackctl(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /dev-server dokploy/);
    assert.match(help.stdout, /dev-server coolify/);
  });

  it("validates the bundled examples", () => {
    const run = stackctl(["validate", "examples/"]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /valid/);
  });

  it("serves the Coolify simulator, validating requests against the contract it carries", async () => {
    const server = background(process.execPath, [BIN(), "dev-server", "coolify", "--port", "0"], { cwd: app });
    try {
      const url = (await server.waitFor(/export COOLIFY_URL=(\S+)/))[1]!;
      const headers = { authorization: "Bearer 1|sim-token", "content-type": "application/json" };
      const list = await fetch(`${url}/api/v1/projects`, { headers });
      assert.equal(list.status, 200, await list.text());
      const created = await fetch(`${url}/api/v1/projects`, { method: "POST", headers, body: JSON.stringify({ name: "from-the-tarball" }) });
      assert.equal(created.status, 201, await created.text());
      const refused = await fetch(`${url}/api/v1/projects`, { method: "POST", headers, body: JSON.stringify({ name: "x-y", colour: "red" }) });
      assert.equal(refused.status, 422);
      assert.deepEqual(((await refused.json()) as { errors: unknown }).errors, { colour: ["This field is not allowed."] });
    } finally {
      server.child.kill("SIGTERM");
    }
    assert.equal(await server.exited, 0, server.output());
  });

  it("diffs, applies and runs the controller against the Dokploy simulator", async () => {
    const server = background(process.execPath, [BIN(), "dev-server", "dokploy", "--port", "0"], { cwd: app });
    const dir = manifestDir();
    try {
      const url = (await server.waitFor(/export DOKPLOY_URL=(\S+)/))[1]!;
      const env = { DOKPLOY_URL: url, DOKPLOY_API_KEY: "sim-api-key" };
      dir.put("shop", { applications: [{ name: "web", image: "nginx:1.27", ports: [80], domains: [{ host: "shop.example.com" }] }] });
      assert.equal(stackctl(["diff", "stacks"], dir.dir, env).code, 1);
      const applied = stackctl(["apply", "stacks"], dir.dir, env);
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
      assert.equal(stackctl(["diff", "stacks"], dir.dir, env).code, 0);
      const controller = background(process.execPath, [BIN(), "run", "--dir", "stacks", "--listen", "127.0.0.1:0", "--data-dir", "data", "--log-format", "json"], { cwd: dir.dir, env });
      try {
        const listening = (await controller.waitFor(/^(?=.*"msg":"listening").*"url":"([^"]+)"/m))[1]!;
        await waitUntil("ready", async () => (await fetch(`${listening}/readyz`)).status === 200, 30_000);
      } finally {
        controller.child.kill("SIGTERM");
      }
      assert.equal(await controller.exited, 0, controller.output());
    } finally {
      server.child.kill("SIGTERM");
      dir.cleanup();
    }
    assert.equal(await server.exited, 0, server.output());
  });

  for (const [how, stop] of [
    ["SIGTERM to npx", (npx: ChildProcess) => npx.kill("SIGTERM")],
    ["Ctrl-C (SIGINT to its process group)", (npx: ChildProcess) => process.kill(-npx.pid!, "SIGINT")],
  ] as const) {
    it(`npx stackctl dev-server stops on ${how}, leaving nothing listening`, async () => {
      const npx = background("npx", ["stackctl", "dev-server", "dokploy", "--port", "0"], { cwd: app, env: { npm_config_update_notifier: "false" }, detached: true });
      let url: string;
      try {
        url = (await npx.waitFor(/export DOKPLOY_URL=(\S+)/))[1]!;
        assert.ok(await answers(`${url}/api/health`));
      } finally {
        stop(npx.child);
      }
      await npx.exited;
      // The simulator is a grandchild of npx (npm exec → sh → node): it must be gone too, not left listening.
      const deadline = Date.now() + 5_000;
      while ((await answers(`${url}/api/health`)) && Date.now() < deadline) await sleep(100);
      assert.equal(await answers(`${url}/api/health`), false, `still listening after ${how}: ${npx.output()}`);
    });
  }

  it("on an old Node, the installed stackctl exits 2 saying how to get Node 24", { skip: oldNode() ? false : "no Node.js older than 24 here" }, () => {
    const run = spawnSync(oldNode()!, [BIN(), "validate", "examples/"], { cwd: installed, encoding: "utf8", timeout: 20_000 });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^stackctl needs Node\.js 24 or newer \(this is 2?\d\.\d+\.\d+\)\./);
    assert.match(run.stderr, /nvm install 24/);
  });
});

/** The first node on the PATH (or in /usr/bin) older than 24. */
function oldNode(): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter), "/usr/local/bin", "/usr/bin"]) {
    const run = spawnSync(join(dir, "node"), ["-p", "process.versions.node"], { encoding: "utf8" });
    if (run.status === 0 && Number(run.stdout.split(".")[0]) < 24) return join(dir, "node");
  }
  return null;
}
