/**
 * Controller configuration at the edge: the `ControllerConfig` file (`--config`, `STACKCTL_CONFIG`, or
 * `./stackctl.yaml` when present), or, without a file, a single `default` target from `DOKPLOY_URL` and
 * `DOKPLOY_API_KEY`. Credentials are resolved here, from the environment or files, and passed down.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import type { ControllerConfig, ControllerSettings, CredentialRef, SourceConfig, TargetConfig } from "../specs/config.ts";
import { ControllerConfigSchema } from "../specs/config.ts";
import { STACK_API_VERSION } from "../specs/model.ts";

/** A configuration problem; the CLI prints it and exits 2. */
export class ConfigError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ConfigError";
    this.code = code;
  }
}

/** A target with its credential resolved. */
export interface ResolvedTarget {
  config: TargetConfig;
  apiKey: string;
}

/** The configuration the verbs work with. */
export interface LoadedConfig {
  instance: string;
  secretsDir: string;
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
  const path = flagPath ?? env.STACKCTL_CONFIG ?? (existsSync(resolve(cwd, "stackctl.yaml")) ? "stackctl.yaml" : undefined);
  const config = path ? readConfigFile(resolve(cwd, path)) : configFromEnv(env);
  return {
    instance: env.STACKCTL_INSTANCE ?? config.instance,
    secretsDir: env.STACKCTL_SECRETS_DIR ?? config.secretsDir,
    targets: config.targets.map((t) => ({ config: t, apiKey: resolveCredential(t.apiKey, `target ${t.name} apiKey`, env) })),
    origin: path ?? "environment (DOKPLOY_URL, DOKPLOY_API_KEY)",
    ...(config.source ? { source: config.source } : {}),
    controller: config.controller,
  };
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

function configFromEnv(env: Readonly<Record<string, string | undefined>>): ControllerConfig {
  if (!env.DOKPLOY_URL) {
    throw new ConfigError("config.missing", "no configuration: pass --config stackctl.yaml, or set DOKPLOY_URL and DOKPLOY_API_KEY");
  }
  const parsed = ControllerConfigSchema.safeParse({
    apiVersion: STACK_API_VERSION,
    kind: "ControllerConfig",
    targets: [{ name: "default", provider: "dokploy", url: env.DOKPLOY_URL, apiKey: { fromEnv: "DOKPLOY_API_KEY" } }],
  });
  if (!parsed.success) throw new ConfigError("config.invalid", `DOKPLOY_URL: ${parsed.error.issues[0]?.message}`);
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
