/**
 * The process's own credentials (issue #9): where it reads them and their values, so that no manifest can resolve
 * one as a secret (controller/secrets.ts) and every string leaving the process is scrubbed of them
 * (controller/scrub.ts). When a verb reads a new credential for itself, add its variable to PROCESS_CREDENTIAL_ENV
 * or its reference to the ControllerConfig, and its value to the scrubber.
 */
import { readFileSync } from "node:fs";
import type { CredentialSet, SecretSources } from "../controller/secrets.ts";
import type { CredentialRef } from "../specs/config.ts";
import type { LoadedConfig } from "./config.ts";
import type { RunSettings } from "./run-settings.ts";

/**
 * Variables the process reads for itself, whatever the configuration says (besides every `STACKCTL_*` one, which
 * controller/secrets.ts refuses by prefix). GITHUB_TOKEN and GH_TOKEN are the GitHub integration's conventions.
 */
export const PROCESS_CREDENTIAL_ENV = ["DOKPLOY_API_KEY", "COOLIFY_TOKEN", "GITHUB_TOKEN", "GH_TOKEN"] as const;

/** configCredentials lists every credential of the configuration: each reference's variable or file, and each value. */
export function configCredentials(config: LoadedConfig, settings?: RunSettings, env?: Readonly<Record<string, string | undefined>>): CredentialSet {
  const refs: CredentialRef[] = [];
  const values: string[] = [];
  for (const t of config.targets) {
    refs.push(t.config.provider === "dokploy" ? t.config.apiKey : t.config.token);
    if (t.config.provider === "coolify" && t.config.fingerprintKey) refs.push(t.config.fingerprintKey);
    values.push(t.credential, ...(t.fingerprintKey ? [t.fingerprintKey] : []));
  }
  const git = config.source && "git" in config.source ? config.source.git.auth : undefined;
  if (git && "token" in git) refs.push(git.token);
  const files: string[] = git && "sshKey" in git ? [git.sshKey.fromFile] : [];
  const hooks = config.controller.webhooks;
  if (hooks.github) refs.push(hooks.github.secret);
  if (hooks.generic) refs.push(hooks.generic.token);
  if (config.controller.github?.token) refs.push(config.controller.github.token);
  if (config.controller.api) refs.push(config.controller.api.token);
  if (settings) {
    values.push(...[settings.hooks.githubSecret, settings.hooks.bearerToken, settings.api.token].filter((v): v is string => !!v));
    const auth = settings.source.kind === "git" ? settings.source.auth : undefined;
    if (auth && "token" in auth) values.push(auth.token);
    if (auth && "sshKeyFile" in auth) files.push(auth.sshKeyFile);
    if ("token" in settings.github) values.push(settings.github.token);
    if (settings.source.kind === "git") values.push(...urlUserInfo(settings.source.url));
  }
  // Every reference in the configuration (a field added later too) is a credential, its value read here as well.
  for (const ref of refsIn([config.targets.map((t) => t.config), config.source, config.controller])) {
    if (!refs.some((r) => JSON.stringify(r) === JSON.stringify(ref))) refs.push(ref);
    const value = "fromEnv" in ref ? env?.[ref.fromEnv] : readQuietly(ref.fromFile);
    if (value) values.push(value);
  }
  return {
    envNames: [...PROCESS_CREDENTIAL_ENV, ...refs.flatMap((r) => ("fromEnv" in r ? [r.fromEnv] : []))],
    files: [...files, ...refs.flatMap((r) => ("fromFile" in r ? [r.fromFile] : []))],
    values,
  };
}

/** secretSourcesOf is where the verbs look up `{ secret: NAME }`: the environment and the secrets directory, guarded. */
export function secretSourcesOf(config: LoadedConfig, env: Readonly<Record<string, string | undefined>>, credentials: CredentialSet): SecretSources {
  return {
    env,
    dir: config.secretsDir,
    credentials,
    ...(config.secretsEnvPrefix !== undefined ? { envPrefix: config.secretsEnvPrefix } : {}),
  };
}

/** refsIn finds every credential reference (`{ fromEnv }` or `{ fromFile }`) in a configuration value. */
function refsIn(value: unknown): CredentialRef[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== "object" || value === null) return [];
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  if (keys.length === 1 && typeof v.fromEnv === "string") return [{ fromEnv: v.fromEnv }];
  if (keys.length === 1 && typeof v.fromFile === "string") return [{ fromFile: v.fromFile }];
  return Object.values(v).flatMap(refsIn);
}

function readQuietly(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The user name and password written into a URL (`https://user:token@host`), decoded; none for other addresses. */
function urlUserInfo(address: string): string[] {
  try {
    const url = new URL(address);
    return [url.username, url.password].filter(Boolean).map(decodeURIComponent);
  } catch {
    return [];
  }
}
