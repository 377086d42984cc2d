/**
 * Issue #9, "the controller survives hostile clients": header, request and keep-alive timeouts and a connection cap
 * on the HTTP server (real sockets on 127.0.0.1), a GitHub signature with trailing garbage refused, and a replayed
 * delivery triggering nothing (`stackctl run` as a real process with a Git origin in a local bare repository).
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import type { Socket } from "node:net";
import { after, afterEach, describe, it } from "node:test";
import { createLogger } from "../controller/log.ts";
import { SERVER_LIMITS } from "../controller/server/limits.ts";
import { startControllerServer } from "../controller/server/server.ts";
import type { ControllerServer } from "../controller/server/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import type { ControllerProcess } from "./helpers/controller.ts";
import { githubPush, gitOrigin, scratchDir, startController, waitUntil } from "./helpers/controller.ts";

const logger = createLogger({ level: "error", pretty: false, destination: { write: () => undefined } });

async function server(limits: Parameters<typeof startControllerServer>[0]["limits"]): Promise<ControllerServer> {
  return startControllerServer({
    host: "127.0.0.1",
    port: 0,
    logger,
    limits,
    routes: { stacks: () => [], ready: () => ({ ready: true }), metrics: () => "" },
    hooks: { branch: "main", onTrigger: () => undefined },
  });
}

/** Opens a raw connection; resolves with the socket and a promise of when the server closed it. */
async function open(port: number): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  socket.on("data", () => undefined);
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const started = Date.now();
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now() - started)));
  return { socket, closed };
}

describe("HTTP server limits", () => {
  const servers: ControllerServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  it("has header, request and keep-alive timeouts and a connection cap by default", () => {
    assert.ok(SERVER_LIMITS.headersTimeoutMs > 0 && SERVER_LIMITS.headersTimeoutMs <= 30_000);
    assert.ok(SERVER_LIMITS.requestTimeoutMs > 0 && SERVER_LIMITS.requestTimeoutMs <= 60_000);
    assert.ok(SERVER_LIMITS.keepAliveTimeoutMs > 0 && SERVER_LIMITS.maxConnections > 0 && SERVER_LIMITS.maxConnections <= 4096);
  });

  it("closes a client that trickles its headers, and one that trickles its body", async () => {
    const s = await server({ headersTimeoutMs: 600, requestTimeoutMs: 1200, checkIntervalMs: 100 });
    servers.push(s);
    const slowHeaders = await open(s.port);
    slowHeaders.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const tick = setInterval(() => slowHeaders.socket.write("X-Slow: 1\r\n"), 100);
    const slowBody = await open(s.port);
    slowBody.socket.write("POST /hooks/generic HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    const tick2 = setInterval(() => slowBody.socket.write("a"), 100);
    try {
      assert.ok((await slowHeaders.closed) < 3000, "trickled headers are cut");
      assert.ok((await slowBody.closed) < 4000, "a trickled body is cut");
    } finally {
      clearInterval(tick);
      clearInterval(tick2);
    }
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200, "the server still serves");
  });

  it("closes an idle keep-alive connection", async () => {
    const s = await server({ keepAliveTimeoutMs: 300, checkIntervalMs: 100 });
    servers.push(s);
    const c = await open(s.port);
    c.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.ok((await c.closed) < 2000);
  });

  it("caps open connections, and serves again once they are gone", async () => {
    const s = await server({ maxConnections: 5, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000 });
    servers.push(s);
    const held = await Promise.all(Array.from({ length: 5 }, () => open(s.port)));
    for (const h of held) h.socket.write("GET /healthz HTTP/1.1\r\n");
    const extra = await open(s.port);
    assert.ok((await extra.closed) < 2000, "a connection past the cap is closed at once");
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    await waitUntil("served again", async () => (await fetch(`${s.url}/healthz`).catch(() => null))?.status === 200, 3000);
  });
});

describe("GitHub webhook against a running controller", () => {
  const SECRET = "hook-secret-safety";
  let c: ControllerProcess | null = null;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    if (c && c.child.exitCode === null) await c.stop();
    c = null;
    for (const f of cleanups.splice(0).reverse()) await f();
  });

  async function controller(): Promise<ControllerProcess> {
    const sim = await startDokploySimulator({ seed: 8 });
    const origin = gitOrigin();
    const scratch = scratchDir();
    cleanups.push(() => sim.close(), () => origin.cleanup(), () => scratch.cleanup());
    origin.commit({ "stacks/README.md": "manifests" });
    const env = { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, STACKCTL_GITHUB_WEBHOOK_SECRET: SECRET };
    c = await startController(["--git", origin.bare, "--path", "stacks", "--data-dir", `${scratch.dir}/data`, "--interval", "1h"], env, scratch.dir);
    const running = c;
    await waitUntil("ready", async () => (await running.get("/readyz")).status === 200);
    return running;
  }

  const fetches = async (p: ControllerProcess) => Number(/^stackctl_git_fetch_duration_seconds_count (\d+)$/m.exec((await p.get("/metrics")).text)?.[1] ?? 0);

  it("refuses a signature with trailing garbage", async () => {
    const p = await controller();
    const hook = githubPush(SECRET);
    const before = await fetches(p);
    for (const garbage of ["zz", "00", "g"]) {
      const status = await p.post("/hooks/github", hook.body, { ...hook.headers, "x-hub-signature-256": hook.headers["x-hub-signature-256"] + garbage });
      assert.equal(status, 401, JSON.stringify(garbage));
    }
    assert.equal(await fetches(p), before);
  });

  it("a replayed delivery, under its own id or a new one, triggers nothing", async () => {
    const p = await controller();
    const hook = githubPush(SECRET);
    assert.equal(await p.post("/hooks/github", hook.body, hook.headers), 202);
    const once = await waitUntil("the fetch", async () => ((await fetches(p)) >= 2 ? fetches(p) : null));
    assert.equal(await p.post("/hooks/github", hook.body, hook.headers), 200);
    assert.equal(await p.post("/hooks/github", hook.body, { ...hook.headers, "x-github-delivery": "another-id" }), 200);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await fetches(p), once, "no further fetch");
    assert.ok(p.logs.some((l) => String(l.msg).includes("replay")));
    const fresh = githubPush(SECRET);
    assert.equal(await p.post("/hooks/github", fresh.body, fresh.headers), 202, "a new delivery still triggers");
  });
});
