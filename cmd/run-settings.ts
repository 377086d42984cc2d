/**
 * The settings of `stackctl run`, from (highest first) command-line flags, environment variables, the
 * `ControllerConfig` file and defaults. Credentials (Git token or SSH key, webhook secrets) are resolved here.
 */
import { isAbsolute, resolve } from "node:path";
import type { GitAuth } from "../controller/sources/git.ts";
import { githubHostsFor, githubRepositoryOf, parseRepositorySlug } from "../controller/github/repository.ts";
import type { GitHubRepository } from "../controller/github/repository.ts";
import { durationToMs } from "../controller/units.ts";
import type { GitAuthConfig } from "../specs/config.ts";
import type { LoadedConfig } from "./config.ts";
import { ConfigError, resolveCredential } from "./config.ts";

/** The flags `run` takes (as parsed by parseArgs). */
export interface RunFlags {
  git?: string;
  branch?: string;
  path?: string;
  dir?: string;
  interval?: string;
  "drift-interval"?: string;
  listen?: string;
  "data-dir"?: string;
  workers?: string;
  "log-format"?: string;
  "log-level"?: string;
  "allow-mass-deletion"?: boolean;
}

/** Where manifests come from. */
export type RunSource =
  | { kind: "git"; url: string; branch: string; path: string; auth?: GitAuth }
  | { kind: "directory"; path: string };

/** Everything `run` needs besides the targets. */
export interface RunSettings {
  source: RunSource;
  pollIntervalMs: number;
  driftIntervalMs: number;
  listen: { host: string; port: number };
  dataDir: string;
  workers: number;
  shutdownTimeoutMs: number;
  hooks: { githubSecret?: string; bearerToken?: string };
  /** The management API's token, from `controller.api.token`. */
  api: { token?: string };
  logFormat: "json" | "pretty";
  logLevel: string;
  allowMassDeletion: boolean;
  /** Commit statuses: on when a token is configured and the repository is on GitHub; `why` says why not. */
  github: { repository: GitHubRepository; token: string; apiUrl: string } | { off: string };
  publicUrl?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** resolveRunSettings merges flags, environment and file; throws ConfigError on a missing source or a bad value. */
export function resolveRunSettings(flags: RunFlags, config: LoadedConfig, env: Env, cwd: string, isTTY: boolean): RunSettings {
  const c = config.controller;
  const { source, intervalText } = resolveSource(flags, config, env, cwd);
  const logFormat = flags["log-format"] ?? env.STACKCTL_LOG_FORMAT ?? (isTTY ? "pretty" : "json");
  if (logFormat !== "json" && logFormat !== "pretty") throw new ConfigError("config.invalid", `--log-format must be json or pretty, got '${logFormat}'`);
  return {
    source,
    pollIntervalMs: duration("--interval", intervalText),
    driftIntervalMs: duration("--drift-interval", flags["drift-interval"] ?? env.STACKCTL_DRIFT_INTERVAL ?? c.driftInterval),
    listen: parseListen(flags.listen ?? env.STACKCTL_LISTEN ?? c.listen),
    dataDir: resolve(cwd, flags["data-dir"] ?? env.STACKCTL_DATA_DIR ?? c.dataDir),
    workers: positiveInt("--workers", flags.workers ?? env.STACKCTL_WORKERS ?? String(c.workers)),
    shutdownTimeoutMs: duration("shutdownTimeout", c.shutdownTimeout),
    hooks: resolveHooks(config, env),
    api: c.api ? { token: resolveCredential(c.api.token, "controller.api.token", env) } : {},
    logFormat,
    logLevel: flags["log-level"] ?? env.STACKCTL_LOG_LEVEL ?? "info",
    allowMassDeletion: flags["allow-mass-deletion"] ?? false,
    github: resolveGitHub(config, source, env),
    ...(c.publicUrl ? { publicUrl: c.publicUrl } : {}),
  };
}

/** Commit statuses need a token and a GitHub repository: `controller.github.repository`, or the source's URL. */
function resolveGitHub(config: LoadedConfig, source: RunSource, env: Env): RunSettings["github"] {
  const g = config.controller.github;
  if (!g?.token) return { off: "no controller.github.token configured" };
  const repository = g.repository ? parseRepositorySlug(g.repository) : source.kind === "git" ? githubRepositoryOf(source.url, githubHostsFor(g.apiUrl)) : null;
  if (!repository) return { off: source.kind === "git" ? "the source is not a GitHub repository (set controller.github.repository)" : "the source is a directory" };
  return { repository, token: resolveCredential(g.token, "controller.github.token", env), apiUrl: g.apiUrl };
}

function resolveSource(flags: RunFlags, config: LoadedConfig, env: Env, cwd: string): { source: RunSource; intervalText: string } {
  const file = config.source;
  const dir = flags.dir ?? env.STACKCTL_DIR;
  const gitUrl = flags.git ?? env.STACKCTL_GIT_URL;
  if (dir && gitUrl) throw new ConfigError("config.invalid", "give either a Git repository (--git) or a directory (--dir), not both");
  const interval = flags.interval ?? env.STACKCTL_INTERVAL;
  if (dir) return { source: { kind: "directory", path: resolve(cwd, dir) }, intervalText: interval ?? "1m" };
  if (gitUrl || (file && "git" in file)) {
    const g = file && "git" in file ? file.git : undefined;
    const url = gitUrl ?? g!.url;
    const auth = gitAuth(env, g?.auth);
    return {
      source: {
        kind: "git",
        url: isLocalPath(url) ? resolve(cwd, url) : url,
        branch: flags.branch ?? env.STACKCTL_GIT_BRANCH ?? g?.branch ?? "main",
        path: flags.path ?? env.STACKCTL_GIT_PATH ?? g?.path ?? ".",
        ...(auth ? { auth } : {}),
      },
      intervalText: interval ?? g?.interval ?? "1m",
    };
  }
  if (file && "directory" in file) return { source: { kind: "directory", path: resolve(cwd, file.directory.path) }, intervalText: interval ?? file.directory.interval };
  throw new ConfigError("config.missing", "no manifest source: pass --git URL (with --branch, --path) or --dir DIR, or set source: in the ControllerConfig");
}

function gitAuth(env: Env, fromFile: GitAuthConfig | undefined): GitAuth | undefined {
  if (env.STACKCTL_GIT_TOKEN) return { token: env.STACKCTL_GIT_TOKEN };
  if (env.STACKCTL_GIT_SSH_KEY_FILE) return { sshKeyFile: env.STACKCTL_GIT_SSH_KEY_FILE };
  if (!fromFile) return undefined;
  if ("sshKey" in fromFile) return { sshKeyFile: fromFile.sshKey.fromFile };
  const token = resolveCredential(fromFile.token, "source.git.auth.token", env);
  return fromFile.username ? { token, username: fromFile.username } : { token };
}

function resolveHooks(config: LoadedConfig, env: Env): RunSettings["hooks"] {
  const w = config.controller.webhooks;
  const githubSecret = env.STACKCTL_GITHUB_WEBHOOK_SECRET ?? (w.github ? resolveCredential(w.github.secret, "controller.webhooks.github.secret", env) : undefined);
  const bearerToken = env.STACKCTL_WEBHOOK_TOKEN ?? (w.generic ? resolveCredential(w.generic.token, "controller.webhooks.generic.token", env) : undefined);
  return { ...(githubSecret ? { githubSecret } : {}), ...(bearerToken ? { bearerToken } : {}) };
}

/** A URL without a scheme or scp-like `host:` is a path on this machine (a local or mounted repository). */
function isLocalPath(url: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^[^/]+@[^/]+:/.test(url) && (isAbsolute(url) || url.startsWith("."));
}

function parseListen(text: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):([0-9]{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m || port > 65535) throw new ConfigError("config.invalid", `--listen must be HOST:PORT (e.g. 0.0.0.0:8080), got '${text}'`);
  return { host: m[1]!.replace(/^\[|\]$/g, "") || "0.0.0.0", port };
}

function duration(what: string, text: string): number {
  try {
    const ms = durationToMs(text);
    if (ms > 0) return ms;
  } catch {
    // reported below with the flag's name
  }
  throw new ConfigError("config.invalid", `${what} must be a duration such as 30s or 1m, got '${text}'`);
}

function positiveInt(what: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError("config.invalid", `${what} must be a positive integer, got '${text}'`);
  return n;
}
