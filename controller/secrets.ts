/**
 * Secret resolution: `{ secret: NAME }` comes from the controller's environment (`NAME`) or from a secrets
 * directory (`/run/secrets/NAME`, the Docker convention). The environment is passed in: nothing here reads
 * `process.env`. The controller's own credentials are never resolvable (issue #9): by name (the variables and files
 * it reads them from) and by value (a secret whose value is one of them is refused, wherever it was found).
 */
import { readFileSync, realpathSync } from "node:fs";
import { join, resolve } from "node:path";

/** Returns the value of a secret, or undefined when it is set nowhere (or may not be given to a manifest). */
export type SecretResolver = (name: string) => string | undefined;

/** Where secrets are looked up, for error messages that tell the user where to put them. */
export interface SecretSources {
  env: Readonly<Record<string, string | undefined>>;
  /** Default `/run/secrets`. */
  dir?: string;
  /** Only names starting with this prefix are looked up in `env` (ControllerConfig `secretsEnvPrefix`). */
  envPrefix?: string;
  /** The controller's own credentials, never given to a manifest. */
  credentials?: CredentialSet;
}

/** What the process authenticates with: where it read each credential, and the values. */
export interface CredentialSet {
  /** Environment variables the process reads for itself (also refused as file names in the secrets directory). */
  envNames: readonly string[];
  /** Files the process reads credentials from. */
  files: readonly string[];
  /** The resolved values. */
  values: readonly string[];
}

/** The default secrets directory. */
export const DEFAULT_SECRETS_DIR = "/run/secrets";

/** Every variable named `STACKCTL_…` configures the controller itself: none is a stack's secret. */
export const CONTROLLER_ENV_PREFIX = "STACKCTL_";

/**
 * createSecretResolver looks a name up in `env` first, then in the file `dir/NAME` (one trailing newline is
 * dropped, as `echo` and editors add one). An empty value counts as missing: an empty secret is never written.
 * A name, file or value that is one of the controller's credentials resolves to nothing (see secretRefusal).
 */
export function createSecretResolver(sources: SecretSources): SecretResolver {
  const dir = sources.dir ?? DEFAULT_SECRETS_DIR;
  const values = new Set(sources.credentials?.values ?? []);
  const files = new Set((sources.credentials?.files ?? []).map(canonicalPath));
  return (name) => {
    if (nameRefusal(name, sources)) return undefined;
    const value = fromEnv(name, sources) ?? fromDir(dir, name, files);
    return value === undefined || values.has(value) ? undefined : value;
  };
}

function fromEnv(name: string, sources: SecretSources): string | undefined {
  if (sources.envPrefix !== undefined && !name.startsWith(sources.envPrefix)) return undefined;
  return sources.env[name] || undefined;
}

function fromDir(dir: string, name: string, credentialFiles: ReadonlySet<string>): string | undefined {
  const path = join(dir, name);
  if (credentialFiles.has(canonicalPath(path))) return undefined;
  try {
    const value = readFileSync(path, "utf8").replace(/\r?\n$/, "");
    return value === "" ? undefined : value;
  } catch {
    return undefined;
  }
}

function canonicalPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function nameRefusal(name: string, sources: SecretSources): string | null {
  if (name.startsWith(CONTROLLER_ENV_PREFIX)) return `${CONTROLLER_ENV_PREFIX}* variables configure the controller itself`;
  if (sources.credentials?.envNames.includes(name)) return `${name} is one of the controller's own credentials`;
  return null;
}

/**
 * secretRefusal says why a manifest may not read `name` (a credential of the controller, or a value equal to one),
 * or null when it may. The resolver already returns nothing for such names; this is the explanation.
 */
export function secretRefusal(name: string, sources: SecretSources): string | null {
  const byName = nameRefusal(name, sources);
  if (byName) return byName;
  const dir = sources.dir ?? DEFAULT_SECRETS_DIR;
  const files = new Set((sources.credentials?.files ?? []).map(canonicalPath));
  if (files.has(canonicalPath(join(dir, name)))) return `file ${join(dir, name)} holds one of the controller's own credentials`;
  const values = new Set(sources.credentials?.values ?? []);
  const value = fromEnv(name, sources) ?? fromDir(dir, name, files);
  if (value !== undefined && values.has(value)) return `its value is one of the controller's own credentials`;
  return null;
}

/** describeSecretSources says where a secret was looked for (and why it was refused), without any value. */
export function describeSecretSources(name: string, sources: SecretSources): string {
  const refused = secretRefusal(name, sources);
  if (refused) return `${name} may not be read by a manifest: ${refused}`;
  const file = `file ${join(sources.dir ?? DEFAULT_SECRETS_DIR, name)}`;
  if (sources.envPrefix !== undefined && !name.startsWith(sources.envPrefix)) {
    return `${file}; the environment is searched only for names starting with ${sources.envPrefix} (secretsEnvPrefix)`;
  }
  return `environment variable ${name} or ${file}`;
}
