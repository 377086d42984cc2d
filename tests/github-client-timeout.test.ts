/**
 * A GitHub that accepts the connection but never answers must not hang `diff --github-comment` or the controller's
 * status poster: every request is abandoned after the client's timeout and reported as unreachable.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { createGitHubClient, describeGitHubError } from "../controller/github/client.ts";

test("a request GitHub never answers fails after the timeout as github.unreachable", async () => {
  let seen = 0;
  const server = createServer(() => { seen += 1; }); // accepts, never answers
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const port = (server.address() as AddressInfo).port;
    const client = createGitHubClient({ apiUrl: `http://127.0.0.1:${port}`, token: "t0ken-never-shown", retries: 0, maxRateLimitWaitSeconds: 0, requestTimeoutMs: 300 });
    const started = Date.now();
    const err = await client.rest.issues.listComments({ owner: "o", repo: "r", issue_number: 1 }).then(() => null, (e: unknown) => e);
    assert.ok(err, "the request must fail, not succeed");
    assert.ok(Date.now() - started < 10_000, "it gave up near the timeout instead of waiting for the server");
    assert.equal(seen, 1);
    const failure = describeGitHubError(err);
    assert.equal(failure.code, "github.unreachable");
    assert.doesNotMatch(failure.message, /t0ken-never-shown/);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
