/** `stackctl dev-server dokploy|coolify` as a child process: prints URL, credential and exports, serves, exits 0 on SIGTERM. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { reaped } from "./helpers/processes.ts";

const STACKCTL = fileURLToPath(new URL("../cmd/stackctl.ts", import.meta.url));

/** Resolves with stdout so far once `pattern` appears in it. */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<string> {
  let text = "";
  return new Promise((resolve, reject) => {
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) resolve(text);
    });
    stream.on("end", () => reject(new Error(`stream ended before ${pattern}: ${text}`)));
  });
}

test("dev-server dokploy serves the API until SIGTERM, then exits 0", { timeout: 20_000 }, async () => {
  const child = reaped(spawn(process.execPath, [STACKCTL, "dev-server", "dokploy", "--port", "0", "--api-key", "k-123"], { stdio: ["ignore", "pipe", "pipe"] }));
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  try {
    const banner = await waitFor(child.stdout, /DOKPLOY_API_KEY=\S+/);
    const url = /export DOKPLOY_URL=(\S+)/.exec(banner)?.[1];
    assert.ok(url?.startsWith("http://127.0.0.1:"), banner);
    assert.match(banner, /export DOKPLOY_API_KEY=k-123/);
    const res = await fetch(`${url}/api/project.create`, {
      method: "POST", headers: { "x-api-key": "k-123", "content-type": "application/json" }, body: JSON.stringify({ name: "p" }),
    });
    assert.equal(res.status, 200);
    assert.equal((await fetch(`${url}/api/project.all`)).status, 401);
  } finally {
    child.kill("SIGTERM");
  }
  const [code] = await once(child, "exit");
  assert.equal(code, 0, stderr);
});

test("dev-server coolify serves the API with its token until SIGTERM, then exits 0", { timeout: 20_000 }, async () => {
  const child = reaped(spawn(process.execPath, [STACKCTL, "dev-server", "coolify", "--port", "0", "--token", "5|tok", "--rate-limit", "2"], { stdio: ["ignore", "pipe", "pipe"] }));
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  try {
    const banner = await waitFor(child.stdout, /COOLIFY_TOKEN=\S+/);
    const url = /export COOLIFY_URL=(\S+)/.exec(banner)?.[1];
    assert.ok(url?.startsWith("http://127.0.0.1:"), banner);
    assert.match(banner, /export COOLIFY_TOKEN='5\|tok'/, "quoted: a bare | is a shell pipe");
    const get = () => fetch(`${url}/api/v1/projects`, { headers: { authorization: "Bearer 5|tok" } });
    assert.deepEqual([(await get()).status, (await get()).status, (await get()).status], [200, 200, 429]);
  } finally {
    child.kill("SIGTERM");
  }
  const [code] = await once(child, "exit");
  assert.equal(code, 0, stderr);
});

test("dev-server rejects an unknown provider with the usage exit code", async () => {
  const child = reaped(spawn(process.execPath, [STACKCTL, "dev-server", "caprover"], { stdio: ["ignore", "pipe", "pipe"] }));
  const [code] = await once(child, "exit");
  assert.equal(code, 2);
});
