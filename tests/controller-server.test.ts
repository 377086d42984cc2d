import assert from "node:assert/strict";
import { createHmac, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createLogger } from "../controller/log.ts";
import { emptyStatus } from "../controller/loop/status.ts";
import { createControllerMetrics } from "../controller/server/controller-metrics.ts";
import { Counter, Gauge, Registry } from "prom-client";
import { startControllerServer } from "../controller/server/server.ts";
import type { ControllerServer } from "../controller/server/server.ts";

const SECRET = "gh-hook-secret-xyz";
const BEARER = "bearer-token-abc-123";

const logLines: string[] = [];
const logger = createLogger({ level: "debug", pretty: false, destination: { write: (s: string) => void logLines.push(s) } });
const triggers: string[] = [];
let ready = { ready: false, reason: "first sync pending" } as { ready: boolean; reason?: string };
let server: ControllerServer;
const metrics = createControllerMetrics();

before(async () => {
  metrics.reconciled("shop", "success", 0.3);
  metrics.collect(() => ({ stacksByCondition: { Ready: 1 }, queueDepth: 0 }));
  server = await startControllerServer({
    host: "127.0.0.1",
    port: 0,
    maxBodyBytes: 4096,
    logger,
    routes: {
      stacks: () => [{ ...emptyStatus("shop", "prod"), lastAppliedRevision: "abc" }, emptyStatus("blog", "prod")],
      ready: () => ready,
      metrics: () => metrics.render(),
    },
    hooks: { githubSecret: SECRET, branch: "main", bearerToken: BEARER, onTrigger: (r) => void triggers.push(r) },
  });
});
after(() => server.close());

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

async function github(event: string, payload: unknown, signature?: string | null): Promise<Response> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": event, "x-github-delivery": randomUUID() };
  const sig = signature === undefined ? sign(body) : signature;
  if (sig !== null) headers["x-hub-signature-256"] = sig;
  return fetch(`${server.url}/hooks/github`, { method: "POST", headers, body });
}

describe("controller server: probes and API", () => {
  it("answers /healthz, and /readyz follows the ready callback", async () => {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const notReady = await fetch(`${server.url}/readyz`);
    assert.equal(notReady.status, 503);
    assert.match(await notReady.text(), /first sync pending/);
    ready = { ready: true };
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  });

  it("lists stacks and returns one, 404 for an unknown name", async () => {
    const list = (await (await fetch(`${server.url}/api/v1/stacks`)).json()) as { items: { name: string }[] };
    assert.deepEqual(list.items.map((s) => s.name), ["shop", "blog"]);
    const one = await fetch(`${server.url}/api/v1/stacks/shop`);
    assert.equal(one.status, 200);
    assert.equal(((await one.json()) as { lastAppliedRevision: string }).lastAppliedRevision, "abc");
    const missing = await fetch(`${server.url}/api/v1/stacks/nope`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: "stack.not-found", subject: "stack/nope" } });
    assert.equal((await fetch(`${server.url}/api/v1/stacks/%E0%A4%A`)).status, 400);
    assert.equal((await fetch(`${server.url}/elsewhere`)).status, 404);
    assert.equal((await fetch(`${server.url}/api/v1/stacks`, { method: "DELETE" })).status, 405);
  });

  it("serves metrics in the text exposition format", async () => {
    const res = await fetch(`${server.url}/metrics`);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.ok(text.endsWith("\n"));
    assert.match(text, /^# HELP stackctl_reconciles_total .+$/m);
    assert.match(text, /^# TYPE stackctl_reconciles_total counter$/m);
    assert.match(text, /^stackctl_reconciles_total\{stack="shop",result="success"\} 1$/m);
    assert.match(text, /^stackctl_reconcile_duration_seconds_bucket\{le="0\.25"\} 0$/m);
    assert.match(text, /^stackctl_reconcile_duration_seconds_bucket\{le="0\.5"\} 1$/m);
    assert.match(text, /^stackctl_reconcile_duration_seconds_bucket\{le="\+Inf"\} 1$/m);
    assert.match(text, /^stackctl_stacks\{condition="Ready"\} 1$/m);
    assert.match(text, /^stackctl_queue_depth 0$/m);
    // Every line is a comment or `name{labels} value`.
    for (const line of text.trimEnd().split("\n")) {
      assert.match(line, /^(# (HELP|TYPE) [a-z_:]+ .+|[a-z_:]+(\{([a-z_]+="([^"\\\n]|\\.)*",?)*\})? [-+0-9.eInfNa]+)$/, line);
    }
  });
});

describe("controller server: webhooks", () => {
  it("a signed push to the branch triggers once (202)", async () => {
    triggers.length = 0;
    const res = await github("push", { ref: "refs/heads/main", after: "0123456789abcdef" });
    assert.equal(res.status, 202);
    assert.deepEqual(triggers, ["github push to main 0123456789ab"]);
  });

  it("answers ping, ignores other branches and events without triggering", async () => {
    triggers.length = 0;
    const ping = await github("ping", { zen: "hi" });
    assert.equal(ping.status, 200);
    assert.deepEqual(await ping.json(), { message: "pong" });
    assert.equal((await github("push", { ref: "refs/heads/feature" })).status, 204);
    assert.equal((await github("push", { ref: "refs/tags/main" })).status, 204);
    assert.equal((await github("issues", { action: "opened" })).status, 204);
    assert.deepEqual(triggers, []);
  });

  it("rejects an invalid or missing signature with 401 and triggers nothing", async () => {
    triggers.length = 0;
    const payload = { ref: "refs/heads/main" };
    assert.equal((await github("push", payload, sign("{}", SECRET))).status, 401);
    assert.equal((await github("push", payload, sign(JSON.stringify(payload), "wrong-secret"))).status, 401);
    assert.equal((await github("push", payload, "sha256=zz")).status, 401);
    assert.equal((await github("push", payload, null)).status, 401);
    assert.deepEqual(triggers, []);
  });

  it("refuses an oversize body with 413", async () => {
    triggers.length = 0;
    const res = await github("push", { ref: "refs/heads/main", pad: "x".repeat(10_000) });
    assert.equal(res.status, 413);
    assert.deepEqual(triggers, []);
  });

  it("the generic receiver requires the bearer token", async () => {
    triggers.length = 0;
    const url = `${server.url}/hooks/generic`;
    assert.equal((await fetch(url, { method: "POST" })).status, 401);
    assert.equal((await fetch(url, { method: "POST", headers: { authorization: "Bearer nope" } })).status, 401);
    assert.equal((await fetch(url, { method: "GET", headers: { authorization: `Bearer ${BEARER}` } })).status, 405);
    assert.deepEqual(triggers, []);
    assert.equal((await fetch(url, { method: "POST", headers: { authorization: `Bearer ${BEARER}` } })).status, 202);
    assert.deepEqual(triggers, ["generic hook"]);
  });

  it("never logs the secrets or signatures", () => {
    const all = logLines.join("");
    assert.ok(all.includes("github hook accepted"));
    for (const s of [SECRET, BEARER, "sha256="]) assert.ok(!all.includes(s), `log leaks ${s}`);
  });

  it("a receiver without a configured secret is disabled", async () => {
    const bare = await startControllerServer({
      host: "127.0.0.1",
      port: 0,
      logger,
      routes: { stacks: () => [], ready: () => ({ ready: true }), metrics: () => "" },
      hooks: { branch: "main", onTrigger: () => assert.fail("must not trigger") },
    });
    try {
      assert.equal((await fetch(`${bare.url}/hooks/github`, { method: "POST", body: "{}" })).status, 404);
      assert.equal((await fetch(`${bare.url}/hooks/generic`, { method: "POST" })).status, 404);
    } finally {
      await bare.close();
    }
  });
});

describe("metrics registry", () => {
  it("escapes label values and help text, and renders gauges and counters", async () => {
    const registers = [new Registry()];
    new Counter({ name: "x_total", help: "Help with \\ and\nnewline.", labelNames: ["path"], registers }).inc({ path: 'a"b\\c\nd' }, 2);
    const g = new Gauge({ name: "g", help: "A gauge.", registers });
    g.set(1.5);
    g.inc(-0.5);
    const text = await registers[0]!.metrics();
    assert.match(text, /^# HELP x_total Help with \\\\ and\\nnewline\.$/m);
    assert.ok(text.includes('x_total{path="a\\"b\\\\c\\nd"} 2\n'));
    assert.ok(text.includes("g 1\n"));
    assert.throws(() => new Counter({ name: "x_total", help: "again", registers }));
    assert.throws(() => new Counter({ name: "bad-name", help: "x", registers }));
    assert.throws(() => new Counter({ name: "c", help: "x", labelNames: ["path"], registers }).inc({ "bad-label": "v" } as never));
  });

  it("keeps each controller's series apart: two registries in one process count separately", async () => {
    const a = createControllerMetrics();
    const b = createControllerMetrics();
    a.reconciled("web", "success", 0.2);
    a.deployed("succeeded", 42);
    const textA = await a.render();
    const textB = await b.render();
    assert.match(textA, /^stackctl_reconciles_total\{stack="web",result="success"\} 1$/m);
    assert.match(textA, /^stackctl_deployments_total\{result="succeeded"\} 1$/m);
    assert.match(textA, /^stackctl_deployment_duration_seconds_bucket\{le="60",result="succeeded"\} 1$/m);
    assert.match(textA, /^# TYPE stackctl_reconcile_duration_seconds histogram$/m);
    assert.match(textA, /^process_resident_memory_bytes [1-9]\d*$/m);
    assert.doesNotMatch(textB, /stack="web"/);
  });
});
