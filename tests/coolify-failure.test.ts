/**
 * Coolify's error bodies as ProviderErrors: the three shapes of `errors`, the 409 that names the conflicting
 * resource, hints for 401 and a disabled API, and the token scrubbed from anything echoed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { coolifyFailure } from "../controller/providers/coolify/failure.ts";

const TOKEN = "7|very-secret-token";
const fail = (status: number, body: unknown) => coolifyFailure("coolify PATCH applications/x", status, typeof body === "string" ? body : JSON.stringify(body), [TOKEN]);

test("422 field errors in all three shapes", () => {
  const arrays = fail(422, { message: "Validation failed.", errors: { name: ["The name field is required."], ports_exposes: ["Bad."] } });
  assert.deepEqual(arrays.fieldErrors, { name: ["The name field is required."], ports_exposes: ["Bad."] });
  assert.equal(arrays.message, "coolify PATCH applications/x: 422 Validation failed.: name: The name field is required.; ports_exposes: Bad.");
  assert.deepEqual(fail(422, { message: "Validation failed.", errors: { tags: "Each tag must be at least 2 characters." } }).fieldErrors, { tags: ["Each tag must be at least 2 characters."] });
  const list = fail(422, { message: "Validation failed.", errors: ["Invalid URL: ftp://x"] });
  assert.deepEqual(list.fieldErrors, { "": ["Invalid URL: ftp://x"] });
  assert.match(list.message, /\(input\): Invalid URL: ftp:\/\/x$/);
  assert.equal(list.code, "http.bad-request");
});

test("a 409 domain conflict names the domain and the resource that holds it", () => {
  const err = fail(409, {
    message: "Domain conflicts detected. Use force_domain_override=true to proceed.",
    conflicts: [{ domain: "https://shop.example.com:80", resource_name: "legacy", resource_uuid: "abc123", resource_type: "application", message: "…" }],
    warning: "…",
  });
  assert.equal(err.code, "http.conflict");
  assert.equal(err.retryable, false);
  assert.equal(err.message, "coolify PATCH applications/x: 409 domain already in use: https://shop.example.com:80 is used by application 'legacy' (uuid abc123)");
});

test("401, a disabled API and a bare 500 get messages a user can act on; the token never shows", () => {
  const unauthenticated = fail(401, { message: `Unauthenticated. ${TOKEN}` });
  assert.equal(unauthenticated.code, "http.unauthorized");
  assert.match(unauthenticated.message, /401 Unauthenticated\. <redacted>; the API token was rejected/);
  assert.doesNotMatch(unauthenticated.message, /very-secret/);
  assert.match(fail(403, { success: true, message: "API is disabled." }).message, /403 API is disabled\.; turn on API access in Coolify's Settings$/);
  assert.match(fail(403, { message: "Missing required permissions: write" }).message, /Missing required permissions: write; the token lacks an ability/);
  const html = fail(500, `<!DOCTYPE html><html>${"x".repeat(500)}</html>`);
  assert.equal(html.message, "coolify PATCH applications/x: 500 server error");
  assert.equal(html.retryable, true);
  assert.equal(fail(429, { message: "Too Many Attempts." }).code, "http.rate-limited");
});
