/**
 * Secret resolution: `{ secret: NAME }` comes from the controller's environment (`NAME`) or from a secrets
 * directory (`/run/secrets/NAME`, the Docker convention). The environment is passed in: nothing here reads
 * `process.env`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Returns the value of a secret, or undefined when it is set nowhere. */
export type SecretResolver = (name: string) => string | undefined;

/** Where secrets are looked up, for error messages that tell the user where to put them. */
export interface SecretSources {
  env: Readonly<Record<string, string | undefined>>;
  /** Default `/run/secrets`. */
  dir?: string;
}

/** The default secrets directory. */
export const DEFAULT_SECRETS_DIR = "/run/secrets";

/**
 * createSecretResolver looks a name up in `env` first, then in the file `dir/NAME` (one trailing newline is
 * dropped, as `echo` and editors add one). An empty value counts as missing: an empty secret is never written.
 */
export function createSecretResolver(sources: SecretSources): SecretResolver {
  const dir = sources.dir ?? DEFAULT_SECRETS_DIR;
  return (name) => {
    const fromEnv = sources.env[name];
    if (fromEnv) return fromEnv;
    try {
      const value = readFileSync(join(dir, name), "utf8").replace(/\r?\n$/, "");
      return value === "" ? undefined : value;
    } catch {
      return undefined;
    }
  };
}

/** describeSecretSources says where a secret was looked for, without any value. */
export function describeSecretSources(name: string, sources: SecretSources): string {
  return `environment variable ${name} or file ${join(sources.dir ?? DEFAULT_SECRETS_DIR, name)}`;
}
