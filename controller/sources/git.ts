/**
 * The Git source (issue #4): a shallow clone of one branch, updated by shallow fetch + hard reset, reporting the
 * commit SHA it checked out. Credentials never reach argv, `.git/config`, logs or errors: a token travels as an
 * `http.extraHeader` set through git's GIT_CONFIG_* environment, an SSH key through GIT_SSH_COMMAND, and every
 * message is scrubbed. Credentials written into the URL (`https://user:token@host/repo.git`) are taken out of it and
 * travel the same way. Git runs with a minimal environment (GIT_ENV_ALLOWED), not the whole process's. A failed
 * fetch leaves the previous checkout in place, so the last good revision stays usable.
 */
import { mkdir, realpath, rm, stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { simpleGit } from "simple-git";
import type { SimpleGit } from "simple-git";
import { scrubCredentials, SourceError } from "./errors.ts";

/** How the source authenticates: an HTTPS token (sent as Basic auth) or an SSH private key file. */
export type GitAuth = { token: string; username?: string } | { sshKeyFile: string };

/** Options of createGitSource. */
export interface GitSourceOptions {
  url: string;
  branch: string;
  /** The manifests' directory inside the repository; default the root. */
  path?: string;
  /** Where the checkout lives; created on the first fetch, owned by this source. */
  workDir: string;
  auth?: GitAuth;
  /** Fetch depth; default 1. */
  depth?: number;
  /** The environment git runs in is taken from this (`cmd/` passes the process's); only PATH, HOME, proxy, TLS and SSH variables pass (GIT_ENV_ALLOWED). */
  env: Record<string, string | undefined>;
  /** Kill a git command that produces no output for this long; default 120 s. */
  timeoutMs?: number;
}

/** The result of a fetch: the commit checked out and the manifests' directory inside the checkout. */
export interface GitRevision {
  revision: string;
  dir: string;
}

/** GitSource fetches the configured branch. */
export interface GitSource {
  /**
   * fetch clones on the first call, then fetches and hard-resets to `origin/<branch>`. Concurrent calls share one
   * fetch. Rejects with SourceError (`source.fetch-failed`, `source.path-missing`); the checkout then still holds
   * `lastRevision()`.
   */
  fetch(): Promise<GitRevision>;
  /** lastRevision is the last successfully fetched revision, or null. */
  lastRevision(): GitRevision | null;
  /** subject names the source in logs and errors, without credentials. */
  readonly subject: string;
}

/** createGitSource validates the options (SourceError `source.invalid-config`) and returns an idle source. */
export function createGitSource(given: GitSourceOptions): GitSource {
  const opts = withUrlCredentials(given);
  const secrets = secretsOf(opts.auth);
  const subject = `source/git ${scrubCredentials(opts.url, secrets)}#${opts.branch}`;
  validate(opts, subject);
  const workDir = resolve(opts.workDir);
  const manifestsDir = resolve(workDir, opts.path ?? ".");
  const depth = String(opts.depth ?? 1);
  let last: GitRevision | null = null;
  let inFlight: Promise<GitRevision> | null = null;

  const git = (baseDir: string): SimpleGit => gitClient(baseDir, opts);

  async function run(): Promise<GitRevision> {
    try {
      if (await isCheckout(workDir)) await update(git(workDir));
      else await clone();
      const revision = (await git(workDir).revparse(["HEAD"])).trim();
      await requireDir(manifestsDir, subject, opts.path ?? ".", workDir);
      last = { revision, dir: manifestsDir };
      return last;
    } catch (err) {
      if (err instanceof SourceError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new SourceError("source.fetch-failed", subject, scrubCredentials(message.trim(), secrets));
    }
  }

  async function clone(): Promise<void> {
    // A half-made checkout from an interrupted clone would look like a repository next time: start clean.
    await rm(workDir, { recursive: true, force: true });
    await mkdir(dirname(workDir), { recursive: true });
    const args = ["--depth", depth, "--branch", opts.branch, "--single-branch", "--no-tags"];
    await git(dirname(workDir)).clone(opts.url, workDir, args);
  }

  async function update(g: SimpleGit): Promise<void> {
    await g.remote(["set-url", "origin", opts.url]);
    await g.fetch(["--depth", depth, "--no-tags", "origin", `+refs/heads/${opts.branch}:refs/remotes/origin/${opts.branch}`]);
    await g.reset(["--hard", `origin/${opts.branch}`]);
    await g.clean("f", ["-d", "-x", "-f"]);
  }

  return {
    subject,
    lastRevision: () => last,
    fetch() {
      inFlight ??= run().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
  };
}

function gitClient(baseDir: string, opts: GitSourceOptions): SimpleGit {
  const extra: Record<string, string> = { GIT_TERMINAL_PROMPT: "0" };
  const auth = opts.auth;
  if (auth && "token" in auth) {
    const basic = Buffer.from(`${auth.username ?? "x-access-token"}:${auth.token}`).toString("base64");
    Object.assign(extra, {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    });
  } else if (auth && "sshKeyFile" in auth) {
    extra.GIT_SSH_COMMAND = `ssh -i ${shellQuote(auth.sshKeyFile)} -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new -o BatchMode=yes`;
  }
  const all = { ...minimalEnv(opts.env), GIT_TERMINAL_PROMPT: "0", ...extra };
  return simpleGit({
    baseDir,
    timeout: { block: opts.timeoutMs ?? 120_000 },
    // The environment comes from the operator (cmd/), not from manifests: its proxy, CA and SSH settings are meant
    // to apply, so simple-git's guard against injected variables is told to let them through.
    allowEnvironment: Object.keys(all),
    unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeSshCommand: true },
  }).env(all);
}

/**
 * The variables git may see: where programs and the home directory are, locale, proxies, TLS trust and SSH (agent,
 * command). Nothing else of the process's environment — its API keys, tokens and webhook secrets — reaches git or
 * the programs git runs (credential helpers, ssh, hooks).
 */
export const GIT_ENV_ALLOWED: readonly (string | RegExp)[] = [
  "PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ",
  /^(HTTPS?|ALL|NO|FTP)_PROXY$/i,
  "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "GIT_SSL_NO_VERIFY", "SSL_CERT_FILE", "SSL_CERT_DIR", "GIT_PROXY_COMMAND",
  /^SSH_(AUTH_SOCK|AGENT_PID)$/, "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSH_VARIANT",
];

function minimalEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && GIT_ENV_ALLOWED.some((a) => (typeof a === "string" ? a === k : a.test(k)))) out[k] = v;
  }
  return out;
}

/**
 * withUrlCredentials takes user-info out of an http(s) URL and makes it the source's token auth (an explicit
 * `auth` wins), so that it never reaches git's command line or `.git/config`.
 */
function withUrlCredentials(opts: GitSourceOptions): GitSourceOptions {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    return opts;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || (!url.username && !url.password)) return opts;
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  // `https://TOKEN@host` (no password) is the token-as-user form GitHub and GitLab accept.
  const fromUrl: GitAuth = password ? { token: password, username: username || "x-access-token" } : { token: username };
  return { ...opts, url: url.toString(), auth: opts.auth ?? fromUrl };
}

function secretsOf(auth: GitAuth | undefined): string[] {
  if (!auth || !("token" in auth)) return [];
  const basic = Buffer.from(`${auth.username ?? "x-access-token"}:${auth.token}`).toString("base64");
  return [auth.token, basic];
}

function validate(opts: GitSourceOptions, subject: string): void {
  const bad = (message: string) => new SourceError("source.invalid-config", subject, message);
  if (!opts.url || opts.url.startsWith("-")) throw bad("url must be a repository address");
  if (!/^[A-Za-z0-9._\/-]+$/.test(opts.branch) || opts.branch.startsWith("-") || opts.branch.includes("..")) {
    throw bad(`invalid branch name ${JSON.stringify(opts.branch)}`);
  }
  const path = opts.path ?? ".";
  const rel = relative("/repo", resolve("/repo", path));
  if (isAbsolute(path) || rel.startsWith("..")) throw bad(`path ${JSON.stringify(path)} must stay inside the repository`);
  if (opts.depth !== undefined && (!Number.isInteger(opts.depth) || opts.depth < 1)) throw bad("depth must be a positive integer");
}

async function isCheckout(dir: string): Promise<boolean> {
  return stat(resolve(dir, ".git")).then((s) => s.isDirectory(), () => false);
}

async function requireDir(dir: string, subject: string, path: string, workDir: string): Promise<void> {
  const ok = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!ok) throw new SourceError("source.path-missing", subject, `path ${JSON.stringify(path)} is not a directory in the repository`);
  // A committed symbolic link (`stacks -> /`) must not make the controller read the machine's files.
  const [real, root] = await Promise.all([realpath(dir), realpath(workDir)]);
  const rel = relative(root, real);
  if (rel.startsWith("..") || isAbsolute(rel)) {
    throw new SourceError("source.path-missing", subject, `path ${JSON.stringify(path)} is a symbolic link out of the repository: not followed`);
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
