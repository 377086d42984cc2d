/**
 * Where the configuration comes from, without reading it: cheap enough for `validate`, which loads the
 * configuration's code only when there is one to read.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** configFilePath is the ControllerConfig file to read: `--config`, then STACKCTL_CONFIG, then `./stackctl.yaml` when present. */
export function configFilePath(flagPath: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): string | undefined {
  return flagPath ?? env.STACKCTL_CONFIG ?? (existsSync(resolve(cwd, "stackctl.yaml")) ? "stackctl.yaml" : undefined);
}

/** configurationPresent tells whether there is any configuration: a file, or a target in the environment. */
export function configurationPresent(flagPath: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): boolean {
  return configFilePath(flagPath, env, cwd) !== undefined || Boolean(env.DOKPLOY_URL) || Boolean(env.COOLIFY_URL);
}
