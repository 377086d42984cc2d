/**
 * The GitHub REST client every GitHub feature uses: `@octokit/rest` with `@octokit/plugin-retry` (server errors
 * retried with backoff) and `@octokit/plugin-throttling` (writes paced one at a time, primary and secondary rate
 * limits honoured from GitHub's own headers). The base URL is configurable, so GitHub Enterprise works and tests
 * point it at 127.0.0.1.
 */
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

/** The Octokit class with the retry and throttling plugins. */
export const GitHubOctokit = Octokit.plugin(retry, throttling);

/** A client built by createGitHubClient. */
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/** How a client is built; the caller (cmd/) reads token and URL from its flags, environment or config. */
export interface GitHubClientOptions {
  /** The REST API root, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3` (trailing `/` ignored). */
  apiUrl: string;
  token: string;
  /** Retries of a 5xx or network failure (plugin-retry); waits grow 1 s, 4 s, 9 s, … */
  retries: number;
  /** A rate-limited request is retried when GitHub asks to wait at most this long, at most `retries` times. */
  maxRateLimitWaitSeconds: number;
  /** Called for every rate-limit answer (kind, seconds GitHub asked to wait, whether it will be retried). */
  onRateLimited?: (info: { kind: "primary" | "secondary"; retryAfterSeconds: number; retrying: boolean; route: string }) => void;
  userAgent?: string;
  /** Each request (each retry too) is abandoned after this long, so a GitHub that never answers cannot hang a run (default 30 s). */
  requestTimeoutMs?: number;
}

/** createGitHubClient returns a client; it sends nothing until used. */
export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const decide = (kind: "primary" | "secondary") => (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
    const retrying = retryCount < opts.retries && retryAfter <= opts.maxRateLimitWaitSeconds;
    opts.onRateLimited?.({ kind, retryAfterSeconds: retryAfter, retrying, route: `${options.method ?? "GET"} ${options.url ?? ""}` });
    return retrying;
  };
  return new GitHubOctokit({
    auth: opts.token,
    baseUrl: opts.apiUrl.replace(/\/+$/, ""),
    userAgent: opts.userAgent ?? "stackctl",
    // Octokit logs every retry and deprecation through console by default; callers report what matters themselves.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { retries: opts.retries },
    throttle: { onRateLimit: decide("primary"), onSecondaryRateLimit: decide("secondary") },
    request: { fetch: fetchWithTimeout(opts.requestTimeoutMs ?? 30_000) },
  });
}

/** fetch that gives up after `ms`, keeping any signal the caller passed. */
function fetchWithTimeout(ms: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}

/** What a failed GitHub request amounts to, for messages, metrics and backoff. */
export interface GitHubFailure {
  /** `github.unreachable` (network, 5xx), `github.rate-limited`, `github.unauthorized`, `github.forbidden`, `github.not-found`, `github.rejected`. */
  code: string;
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  /** Seconds GitHub asked to wait (retry-after or x-ratelimit-reset), when it said. */
  retryAfterSeconds: number | null;
  message: string;
}

/** describeGitHubError classifies an error thrown by the client; never includes the token (octokit redacts it). */
export function describeGitHubError(err: unknown, nowMs: number = Date.now()): GitHubFailure {
  const e = err as { status?: unknown; message?: unknown; response?: { headers?: Record<string, string | undefined>; data?: unknown } };
  const status = typeof e?.status === "number" && e.status >= 100 ? e.status : null;
  const headers = e?.response?.headers ?? {};
  const text = typeof e?.message === "string" ? e.message : String(err);
  const retryAfterSeconds = waitOf(headers, nowMs);
  const rateLimited = status === 429 || (status === 403 && (headers["x-ratelimit-remaining"] === "0" || /rate limit/i.test(text)));
  const code =
    status === null || status >= 500 ? "github.unreachable"
    : rateLimited ? "github.rate-limited"
    : status === 401 ? "github.unauthorized"
    : status === 403 ? "github.forbidden"
    : status === 404 ? "github.not-found"
    : "github.rejected";
  const what = status === null ? "no answer" : `HTTP ${status}`;
  return { code, status, retryAfterSeconds, message: `${what}: ${oneLine(text)}` };
}

function waitOf(headers: Record<string, string | undefined>, nowMs: number): number | null {
  const after = Number(headers["retry-after"]);
  if (Number.isFinite(after) && after > 0) return after;
  const reset = Number(headers["x-ratelimit-reset"]);
  if (headers["x-ratelimit-remaining"] === "0" && Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - nowMs / 1000) + 1);
  return null;
}

function oneLine(text: string): string {
  const line = text.split("\n")[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
