import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { createHttpClient } from "../controller/http/client.ts";
import type { HttpClientOptions, RequestInfo } from "../controller/http/client.ts";
import { ProviderError } from "../controller/http/errors.ts";

const KEY = "sk-test-very-secret-key-123";

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number, body: string) => void;

interface TestServer {
  url: string;
  hits: { method: string; url: string; at: number; body: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(handler: Handler): Promise<TestServer> {
  const hits: TestServer["hits"] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      hits.push({ method: req.method ?? "", url: req.url ?? "", at: performance.now(), body, headers: req.headers });
      handler(req, res, hits.length, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const s: TestServer = {
    url: `http://127.0.0.1:${port}/api`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(s);
  return s;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

/** A client with instant, recorded sleeps so backoff does not slow the tests. */
function client(url: string, extra: Partial<HttpClientOptions> = {}) {
  const sleeps: number[] = [];
  const infos: RequestInfo[] = [];
  const c = createHttpClient({
    baseUrl: url,
    label: "dokploy",
    headers: { "x-api-key": KEY },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onRequest: (i) => infos.push(i),
    ...extra,
  });
  after(() => c.close());
  return { c, sleeps, infos };
}

async function rejects(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected ProviderError, got ${String(err)}`);
    assert.ok(!err.message.includes(KEY), "message leaks the key");
    return err;
  }
  assert.fail("expected a rejection");
}

describe("http client", () => {
  it("sends the key, encodes the query and parses JSON", async () => {
    const s = await serve((_req, res) => json(res, 200, { ok: true }));
    const { c } = client(s.url);
    assert.deepEqual(await c.get("project.one", { projectId: "p 1", tag: ["a", "b"], skip: undefined }), { ok: true });
    assert.equal(s.hits[0]!.url, "/api/project.one?projectId=p+1&tag=a&tag=b");
    assert.equal(s.hits[0]!.headers["x-api-key"], KEY);
  });

  it("retries a read after a 500 and returns the later 200", async () => {
    const s = await serve((_req, res, hit) => (hit === 1 ? json(res, 500, { message: "boom" }) : json(res, 200, [1])));
    const { c, sleeps, infos } = client(s.url);
    assert.deepEqual(await c.get("project.all"), [1]);
    assert.equal(s.hits.length, 2);
    assert.deepEqual(sleeps, [125]); // full jitter: random 0.5 × min(250 × 2^0, 10 s)
    assert.deepEqual(infos.map((i) => [i.status, i.attempt, i.error]), [[500, 0, "http.server-error"], [200, 1, undefined]]);
  });

  it("honours Retry-After on 429, in seconds and as an HTTP date", async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    const s = await serve((_req, res, hit) => {
      if (hit === 1) return json(res, 429, { message: "slow down" }, { "retry-after": "2" });
      if (hit === 2) return json(res, 429, { message: "slow down" }, { "retry-after": date });
      json(res, 200, "ok");
    });
    const { c, sleeps } = client(s.url);
    assert.equal(await c.post("application.update", { a: 1 }, { idempotent: true }), "ok");
    assert.equal(sleeps[0], 2000);
    assert.ok(sleeps[1]! > 1000 && sleeps[1]! <= 3000, `date delay ${sleeps[1]}`);
  });

  it("gives up on a Retry-After beyond the cap", async () => {
    const s = await serve((_req, res) => json(res, 429, { message: "later" }, { "retry-after": "3600" }));
    const { c } = client(s.url);
    const err = await rejects(c.get("project.all"));
    assert.equal(err.code, "http.rate-limited");
    assert.equal(s.hits.length, 1);
  });

  it("retries a read whose connection was destroyed", async () => {
    const s = await serve((req, res, hit) => (hit === 1 ? req.socket.destroy() : json(res, 200, { id: 1 })));
    const { c, infos } = client(s.url);
    assert.deepEqual(await c.get("application.one", { applicationId: "x" }), { id: 1 });
    assert.equal(infos[0]!.error, "http.network");
    assert.equal(infos[0]!.status, null);
  });

  it("times out a slow answer", async () => {
    const s = await serve((_req, res) => setTimeout(() => json(res, 200, {}), 2000).unref());
    const { c } = client(s.url, { timeoutMs: 100, retries: 1 });
    const err = await rejects(c.get("project.all"));
    assert.equal(err.code, "http.timeout");
    assert.equal(s.hits.length, 2);
    assert.match(err.message, /^dokploy project\.all: no answer within 100 ms$/);
  });

  it("never retries a non-idempotent post (500 or dropped connection)", async () => {
    const s = await serve((req, res, hit) => (hit === 1 ? json(res, 500, { message: "x" }) : req.socket.destroy()));
    const { c } = client(s.url);
    const first = await rejects(c.post("project.create", { name: "a" }, { idempotent: false }));
    assert.equal(first.code, "http.server-error");
    assert.equal(first.retryable, true);
    const second = await rejects(c.post("project.create", { name: "a" }, { idempotent: false }));
    assert.equal(second.code, "http.network");
    assert.equal(s.hits.length, 2);
  });

  it("retries a non-idempotent post when the connection was refused (nothing was sent)", async () => {
    const s = await serve((_req, res) => json(res, 200, {}));
    await s.close();
    const { c, infos } = client(s.url, { retries: 2 });
    const err = await rejects(c.post("project.create", { name: "a" }, { idempotent: false }));
    assert.equal(err.code, "http.network");
    assert.match(err.message, /ECONNREFUSED/);
    assert.equal(infos.length, 3);
  });

  it("retries a non-idempotent post answered by a status the server sends before processing (unprocessedStatuses)", async () => {
    const s = await serve((_req, res, hit) => (hit <= 2 ? json(res, 429, { message: "Too Many Attempts." }, { "retry-after": "1" }) : json(res, 201, { uuid: "u" })));
    const plain = client(s.url);
    assert.equal((await rejects(plain.c.post("projects", { name: "a" }, { idempotent: false }))).code, "http.rate-limited");
    const { c, sleeps } = client(s.url, { unprocessedStatuses: [429] });
    assert.deepEqual(await c.request("POST", "/projects", { body: { name: "a" } }), { uuid: "u" });
    assert.equal(sleeps[0], 1000);
    assert.equal(s.hits.length, 3);
  });

  it("accepts an empty 200 body", async () => {
    const s = await serve((_req, res) => json(res, 200, undefined));
    const { c } = client(s.url);
    assert.equal(await c.post("application.deploy", { applicationId: "a" }, { idempotent: false }), undefined);
    assert.equal(s.hits[0]!.headers["content-type"], "application/json");
    assert.equal(s.hits[0]!.body, '{"applicationId":"a"}');
  });

  it("reports a non-JSON 200 body as bad-response", async () => {
    const s = await serve((_req, res) => res.end("<html>"));
    const { c } = client(s.url);
    assert.equal((await rejects(c.get("project.all"))).code, "http.bad-response");
  });

  it("explains 401, including the key's own rate limit, without echoing the key", async () => {
    const s = await serve((_req, res, hit) => json(res, 401, { message: hit === 1 ? "Unauthorized" : `You are not authorized (key ${KEY})` }));
    const { c } = client(s.url);
    const err = await rejects(c.get("project.all"));
    assert.equal(err.code, "http.unauthorized");
    assert.equal(err.status, 401);
    assert.equal(err.retryable, false);
    assert.match(err.message, /^dokploy project\.all: 401 the API key was rejected: .*its own rate limit is spent/);
    assert.equal(s.hits.length, 1);
    const echoed = await rejects(c.get("project.all"));
    assert.match(echoed.message, /<redacted>/);
  });

  it("maps 403, 404 and 409", async () => {
    const replies: [number, string][] = [[403, "You are not allowed"], [404, "Project not found"], [409, "appName taken"]];
    const s = await serve((_req, res, hit) => json(res, replies[hit - 1]![0], { message: replies[hit - 1]![1] }));
    const { c } = client(s.url);
    const codes = [];
    for (const _ of replies) codes.push(await rejects(c.get("project.one", { projectId: "p" })));
    assert.deepEqual(codes.map((e) => e.code), ["http.forbidden", "http.not-found", "http.conflict"]);
    assert.equal(codes[1]!.message, "dokploy project.one: 404 Project not found");
  });

  it("reports a 400's field errors and cuts SQL parameters", async () => {
    const s = await serve((_req, res, hit) =>
      hit === 1
        ? json(res, 400, {
            message: "Input validation failed",
            code: "BAD_REQUEST",
            data: { zodError: { fieldErrors: { env: ["Required"] } } },
            issues: [{ path: ["env"], message: "Required" }],
          })
        : json(res, 400, { message: 'Failed query: insert into "domain" values ($1)\nparams: secret-value,x' }),
    );
    const { c } = client(s.url);
    const err = await rejects(c.post("application.update", { env: "A=secret-value" }, { idempotent: true }));
    assert.equal(err.message, "dokploy application.update: 400 Input validation failed: env: Required");
    assert.deepEqual(err.fieldErrors, { env: ["Required"] });
    const sql = await rejects(c.post("domain.create", {}, { idempotent: false }));
    assert.ok(!sql.message.includes("secret-value"));
    assert.equal(s.hits.length, 2);
  });

  it("treats a 404 on the retry of a delete as success", async () => {
    const s = await serve((req, res, hit) => (hit === 1 ? req.socket.destroy() : json(res, 404, { message: "Application not found" })));
    const { c } = client(s.url);
    assert.equal(await c.post("application.delete", { applicationId: "a" }, { idempotent: true, notFoundOnRetryIsSuccess: true }), undefined);
    const err = await rejects(c.post("application.delete", { applicationId: "a" }, { idempotent: true, notFoundOnRetryIsSuccess: true }));
    assert.equal(err.code, "http.not-found");
  });

  it("stops after the configured retries", async () => {
    const s = await serve((_req, res) => json(res, 503, {}));
    const { c, sleeps } = client(s.url, { retries: 3, jitter: false, minBackoffMs: 100, maxBackoffMs: 300 });
    assert.equal((await rejects(c.get("project.all"))).code, "http.server-error");
    assert.equal(s.hits.length, 4);
    assert.deepEqual(sleeps, [100, 200, 300]);
  });

  it("aborts on the caller's signal", async () => {
    const s = await serve((_req, res) => setTimeout(() => json(res, 200, {}), 2000).unref());
    const { c } = client(s.url);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const err = await rejects(c.get("project.all", undefined, { signal: ctl.signal }));
    assert.equal(err.code, "http.aborted");
    assert.equal(s.hits.length, 1);
  });

  it("spaces requests with the rate limiter and bounds concurrency", async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await serve((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, {});
      }, 30);
    });
    const limited = createHttpClient({ baseUrl: s.url, label: "dokploy", rateLimit: { requestsPerSecond: 20 } });
    after(() => limited.close());
    await Promise.all(Array.from({ length: 6 }, () => limited.get("project.all")));
    const gaps = s.hits.slice(1).map((h, i) => h.at - s.hits[i]!.at);
    for (const gap of gaps) assert.ok(gap >= 40, `gap ${gap.toFixed(1)} ms < 50 ms spacing`);

    const s2 = await serve((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, {});
      }, 30);
    });
    peak = 0;
    const bounded = createHttpClient({ baseUrl: s2.url, label: "dokploy", maxConcurrent: 3 });
    after(() => bounded.close());
    await Promise.all(Array.from({ length: 10 }, () => bounded.get("project.all")));
    assert.equal(peak, 3);
  });
});

describe("http client, other methods", () => {
  it("sends PATCH and DELETE with a query, retries them only when idempotent, and uses the provider's error mapping", async () => {
    const s = await serve((_req, res, hit) => (hit === 1 || hit === 3 ? json(res, 503, { message: "busy" }) : json(res, 200, { ok: hit })));
    const mapFailure = (operation: string, status: number) => new ProviderError({ code: "http.server-error", operation, status, retryable: true }, `mapped ${status}`);
    const { c } = client(s.url, { mapFailure });
    assert.deepEqual(await c.request("PATCH", "/applications/a1/envs", { body: { key: "A" }, idempotent: true, query: { force: true } }), { ok: 2 });
    assert.deepEqual(s.hits.map((h) => `${h.method} ${h.url}`), ["PATCH /api/applications/a1/envs?force=true", "PATCH /api/applications/a1/envs?force=true"]);
    assert.equal(s.hits[1]!.body, '{"key":"A"}');
    const err = await rejects(c.request("DELETE", "applications/a1"));
    assert.equal(err.message, "dokploy DELETE applications/a1: mapped 503");
    assert.equal(s.hits.length, 3, "a DELETE that is not marked idempotent is sent once");
  });
});
