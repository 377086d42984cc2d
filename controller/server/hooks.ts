/**
 * Webhook verification (issue #4): GitHub's `X-Hub-Signature-256` HMAC and a bearer token for the generic receiver.
 * Comparisons use timingSafeEqual over fixed-length digests, so neither the secret nor its length leaks through
 * response timing. Nothing here logs or returns a secret.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** verifyGithubSignature checks `header` (`sha256=<hex>`) against the HMAC-SHA256 of `body` keyed with `secret`. */
export function verifyGithubSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  // Exactly 64 hex digits: Buffer.from(…, "hex") stops at the first bad character, so `<valid>zz` would pass.
  if (!header || !/^sha256=[0-9a-fA-F]{64}$/.test(header)) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  // A malformed hex string decodes short; equal lengths are required by timingSafeEqual anyway.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** verifyBearer checks an `Authorization: Bearer <token>` header against `token`. */
export function verifyBearer(token: string, header: string | undefined): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!match?.[1]) return false;
  // Hash both sides so the comparison is constant-length whatever the caller sent.
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(match[1].trim()), digest(token));
}

/** What a verified GitHub delivery asks for. */
export type GithubDecision =
  | { kind: "ping" }
  | { kind: "trigger"; reason: string }
  | { kind: "ignore"; reason: string };

/**
 * decideGithub classifies a verified delivery: `ping` is answered; a `push` to `refs/heads/<branch>` triggers a
 * fetch; everything else (other branches, tags, other events, unparsable bodies) is ignored.
 */
export function decideGithub(event: string | undefined, body: Buffer, branch: string): GithubDecision {
  if (event === "ping") return { kind: "ping" };
  if (event !== "push") return { kind: "ignore", reason: `event ${event ?? "(none)"} is not a push` };
  let payload: { ref?: unknown; after?: unknown };
  try {
    payload = JSON.parse(body.toString("utf8")) as typeof payload;
  } catch {
    return { kind: "ignore", reason: "push body is not JSON" };
  }
  if (payload.ref !== `refs/heads/${branch}`) return { kind: "ignore", reason: `push to ${String(payload.ref)}` };
  const after = typeof payload.after === "string" ? ` ${payload.after.slice(0, 12)}` : "";
  return { kind: "trigger", reason: `github push to ${branch}${after}` };
}
