/**
 * Controller configuration at the edge: the `ControllerConfig` file (`--config`, `STACKCTL_CONFIG`, or
 * `./stackctl.yaml` when present), or, without a file, a single `default` target from the environment: Dokploy
 * (`DOKPLOY_URL`, `DOKPLOY_API_KEY`) or Coolify (`COOLIFY_URL`, `COOLIFY_TOKEN`, optional `COOLIFY_SERVER` and
 * `COOLIFY_DESTINATION`). Credentials are resolved here, from the environment or files, and passed down.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import type { ControllerConfig, ControllerSettings, CredentialRef, PolicyConfig, SourceConfig, TargetConfig } from "../specs/config.ts";
import { ControllerConfigSchema } from "../specs/config.ts";
import { STACK_API_VERSION } from "../specs/model.ts";
import { configFilePath, configurationPresent } from "./config-path.ts";

/** A configuration problem; the CLI prints it and exits 2. */
export class ConfigError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ConfigError";
    this.code = code;
  }
}

/** A target with its credentials resolved: the Dokploy API key or the Coolify token, and Coolify's fingerprint key. */
export interface ResolvedTarget {
  config: TargetConfig;
  credential: string;
  fingerprintKey?: string;
}

/** The configuration the verbs work with. */
export interface LoadedConfig {
  instance: string;
  secretsDir: string;
  /** Only names with this prefix are looked up in the environment as secrets. */
  secretsEnvPrefix?: string;
  /** The operator's limits on manifests (hostPath patterns). */
  policy: PolicyConfig;
  targets: ResolvedTarget[];
  /** Where it came from, for messages. */
  origin: string;
  /** The manifests' source for `stackctl run`, when the file names one. */
  source?: SourceConfig;
  /** The controller process settings (defaults when there is no file). */
  controller: ControllerSettings;
}

/** loadConfig finds and reads the configuration; throws ConfigError with a clear message when it cannot. */
export function loadConfig(flagPath: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): LoadedConfig {
  const path = configFilePath(flagPath, env, cwd);
  const { config, origin } = path ? { config: readConfigFile(resolve(cwd, path)), origin: path } : configFromEnv(env);
  return {
    instance: env.STACKCTL_INSTANCE ?? config.instance,
    secretsDir: env.STACKCTL_SECRETS_DIR ?? config.secretsDir,
    ...(config.secretsEnvPrefix !== undefined ? { secretsEnvPrefix: config.secretsEnvPrefix } : {}),
    policy: config.policy,
    targets: config.targets.map((t) => resolveTarget(t, env)),
    origin,
    ...(config.source ? { source: config.source } : {}),
    controller: config.controller,
  };
}

/**
 * findTargetKinds finds the configuration as loadConfig does but reads only its targets' names and providers, no
 * credentials (for `validate`, which runs offline in CI). Undefined when there is no configuration at all.
 */
export function findTargetKinds(flagPath: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): { origin: string; targets: { name: string; provider: TargetConfig["provider"] }[]; policy: PolicyConfig } | undefined {
  if (!configurationPresent(flagPath, env, cwd)) return undefined;
  const path = configFilePath(flagPath, env, cwd);
  const { config, origin } = path ? { config: readConfigFile(resolve(cwd, path)), origin: path } : configFromEnv(env);
  return { origin, targets: config.targets.map((t) => ({ name: t.name, provider: t.provider })), policy: config.policy };
}

/** Resolves a target's credentials by reference: the Dokploy API key, or the Coolify token and fingerprint key. */
function resolveTarget(t: TargetConfig, env: Readonly<Record<string, string | undefined>>): ResolvedTarget {
  if (t.provider === "dokploy") return { config: t, credential: resolveCredential(t.apiKey, `target ${t.name} apiKey`, env) };
  const credential = resolveCredential(t.token, `target ${t.name} token`, env);
  if (!t.fingerprintKey) return { config: t, credential };
  return { config: t, credential, fingerprintKey: resolveCredential(t.fingerprintKey, `target ${t.name} fingerprintKey`, env) };
}

function readConfigFile(path: string): ControllerConfig {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, "utf8"), { maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError("config.unreadable", `${path}: ${(err as Error).message}`);
  }
  const parsed = ControllerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new ConfigError("config.invalid", `${path}: invalid ControllerConfig:\n  ${issues.join("\n  ")}`);
  }
  return parsed.data;
}

/** The single `default` target the environment describes; both providers at once is ambiguous, so an error. */
function configFromEnv(env: Readonly<Record<string, string | undefined>>): { config: ControllerConfig; origin: string } {
  if (env.DOKPLOY_URL && env.COOLIFY_URL) {
    throw new ConfigError("config.ambiguous", "both DOKPLOY_URL and COOLIFY_URL are set: unset one, or describe both targets in a stackctl.yaml (--config)");
  }
  if (env.COOLIFY_URL) {
    const target = {
      name: "default", provider: "coolify", url: env.COOLIFY_URL, token: { fromEnv: "COOLIFY_TOKEN" },
      ...(env.COOLIFY_SERVER ? { server: env.COOLIFY_SERVER } : {}),
      ...(env.COOLIFY_DESTINATION ? { destination: env.COOLIFY_DESTINATION } : {}),
    };
    return { config: parseEnvConfig(target, "COOLIFY_URL"), origin: "environment (COOLIFY_URL, COOLIFY_TOKEN)" };
  }
  if (env.DOKPLOY_URL) {
    const target = { name: "default", provider: "dokploy", url: env.DOKPLOY_URL, apiKey: { fromEnv: "DOKPLOY_API_KEY" } };
    return { config: parseEnvConfig(target, "DOKPLOY_URL"), origin: "environment (DOKPLOY_URL, DOKPLOY_API_KEY)" };
  }
  throw new ConfigError("config.missing", "no configuration: pass --config stackctl.yaml, or set DOKPLOY_URL and DOKPLOY_API_KEY (or COOLIFY_URL and COOLIFY_TOKEN)");
}

function parseEnvConfig(target: Record<string, unknown>, urlVariable: string): ControllerConfig {
  const parsed = ControllerConfigSchema.safeParse({ apiVersion: STACK_API_VERSION, kind: "ControllerConfig", targets: [target] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The URL is the only value a user can get wrong here, except COOLIFY_SERVER / COOLIFY_DESTINATION (too long).
    const field = issue?.path.at(-1);
    const variable = field === "server" ? "COOLIFY_SERVER" : field === "destination" ? "COOLIFY_DESTINATION" : urlVariable;
    throw new ConfigError("config.invalid", `${variable}: ${issue?.message}`);
  }
  return parsed.data;
}

/** resolveCredential reads a credential reference; throws ConfigError naming `what` when it is unset or empty. */
export function resolveCredential(ref: CredentialRef, what: string, env: Readonly<Record<string, string | undefined>>): string {
  if ("fromEnv" in ref) {
    const value = env[ref.fromEnv];
    if (!value) throw new ConfigError("config.credential-missing", `${what}: environment variable ${ref.fromEnv} is not set`);
    return value;
  }
  try {
    const value = readFileSync(ref.fromFile, "utf8").trim();
    if (value) return value;
  } catch {
    // Fall through to the same message: the path is what the user needs to check.
  }
  throw new ConfigError("config.credential-missing", `${what}: file ${ref.fromFile} is missing, unreadable or empty`);
}
