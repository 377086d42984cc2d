/**
 * Issue #9, "errors are scrubbed by value": a server whose 400 echoes the request body must not put a secret into
 * apply's output, the controller's logs (both formats), `lastError` in /api/v1/stacks, or the state file. Real
 * processes against the Dokploy simulator behind an echoing proxy on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createLogger } from "../controller/log.ts";
import { createScrubber, scrubbingResolver, SCRUBBED } from "../controller/scrub.ts";
import { scrubCredentials } from "../controller/sources/errors.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { runCli } from "./helpers/cli.ts";
import type { ControllerProcess } from "./helpers/controller.ts";
import { scratchDir, stackYaml, startController, waitUntil } from "./helpers/controller.ts";
import type { EchoProxy } from "./helpers/echo-proxy.ts";
import { startEchoProxy } from "./helpers/echo-proxy.ts";

const PASSWORD = "hunter2-Very-Secret";
const stack = stackYaml("shop", { project: "shop", applications: [{ name: "db-client", image: "nginx:1.27", env: { DB_PASSWORD: { secret: "DB_PASSWORD" }, MODE: "prod" } }] });

let sim: DokploySimulator;
let proxy: EchoProxy;
let scratch: ReturnType<typeof scratchDir>;
let controller: ControllerProcess | null = null;

beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 9 });
  proxy = await startEchoProxy(sim.url, ["application.saveEnvironment"]);
  scratch = scratchDir();
  mkdirSync(join(scratch.dir, "stacks"));
  writeFileSync(join(scratch.dir, "stacks", "shop.yaml"), stack);
});
afterEach(async () => {
  if (controller && controller.child.exitCode === null) await controller.stop();
  controller = null;
  await proxy.close();
  await sim.close();
  scratch.cleanup();
});

describe("a server that echoes the request body", () => {
  it("apply's output never shows the secret", async () => {
    const env = { DOKPLOY_URL: proxy.url, DOKPLOY_API_KEY: sim.apiKey, DB_PASSWORD: PASSWORD };
    const r = await runCli(["apply", "stacks"], { env, cwd: scratch.dir });
    assert.equal(r.code, 1);
    assert.ok(proxy.echoed() > 0, "the proxy echoed the body");
    const all = r.stdout + r.stderr;
    assert.match(all, /Invalid input/);
    assert.ok(!all.includes(PASSWORD), all);
    assert.match(all, new RegExp(SCRUBBED.replace(/[[\]]/g, "\\$&")));
  });

  it("the controller's logs, lastError in /api/v1/stacks and the status records never show the secret", async () => {
    const env = { DOKPLOY_URL: proxy.url, DOKPLOY_API_KEY: sim.apiKey, DB_PASSWORD: PASSWORD };
    controller = await startController(["--dir", join(scratch.dir, "stacks"), "--data-dir", join(scratch.dir, "data"), "--interval", "1h"], env, scratch.dir);
    const c = controller;
    const status = await waitUntil("the failure recorded", async () => {
      const s = await c.json<{ items: { lastError: string | null }[] }>("/api/v1/stacks");
      return s.items[0]?.lastError ? s : null;
    });
    assert.match(status.items[0]!.lastError!, /Invalid input/);
    assert.ok(!status.items[0]!.lastError!.includes(PASSWORD));
    await waitUntil("the failure logged", () => c.logs.some((l) => l.msg === "reconcile failed"));
    assert.ok(!JSON.stringify(c.logs).includes(PASSWORD));
    assert.match(JSON.stringify(c.logs), /Invalid input/);
    assert.ok(!(await c.get("/metrics")).text.includes(PASSWORD));
    await c.stop();
    const records = join(scratch.dir, "data", "status");
    const state = readdirSync(records).map((f) => readFileSync(join(records, f), "utf8")).join("\n");
    assert.match(state, /Invalid input/);
    assert.ok(!state.includes(PASSWORD));
  });
});

describe("the scrubber", () => {
  it("scrubs both log formats by value, JSON-escaped forms included", () => {
    for (const pretty of [false, true]) {
      const lines: string[] = [];
      const scrub = createScrubber();
      const resolve = scrubbingResolver((name: string) => (name === "Q" ? 'pa"ss word-1' : undefined), scrub);
      assert.equal(resolve("Q"), 'pa"ss word-1');
      const log = createLogger({ level: "info", pretty, scrub, destination: { write: (s: string) => void lines.push(s) } });
      log.error({ error: 'server said: pa"ss word-1 is invalid' }, "failed with pa\"ss word-1");
      const text = lines.join("");
      assert.ok(!text.includes("ss word-1"), text);
      assert.match(text, /\[redacted\]/);
    }
  });

  it("removes URL user-info whose password contains @ (scrubCredentials)", () => {
    const out = scrubCredentials("fatal: unable to access 'http://x-access-token:p@ss@w0rd@git.example/repo.git/': 403", []);
    assert.ok(!out.includes("p@ss") && !out.includes("w0rd"), out);
    assert.match(out, /http:\/\/\[redacted\]@git\.example\/repo\.git/);
  });
});

describe("the scrubber and cut messages", () => {
  it("scrubs the start of a value where a message was cut short", () => {
    const scrub = createScrubber(["s3cret-value-that-is-long"]);
    assert.equal(scrub.text("400 Invalid input: A=1 B=s3cret-val…"), "400 Invalid input: A=1 B=[redacted]…");
    assert.equal(scrub.text("cut here…"), "cut here…");
  });
});
