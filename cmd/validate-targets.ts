/**
 * The provider half of `stackctl validate`: when the targets are known — from the ControllerConfig that `diff`
 * would read (`--config`, `STACKCTL_CONFIG`, `./stackctl.yaml`, or the DOKPLOY_URL / COOLIFY_URL environment), or
 * from `--provider` for stacks it does not place — each valid stack is checked, offline, against what its
 * platform can express: the `provider.unsupported` rules plan() applies (controller/capabilities.ts), plus the
 * target, health-check and policy (`policy.hostPaths`) errors that building the desired state finds. Secrets are not read: values that come
 * from a secret are not checked, since only the server side knows them.
 */
import type { ProviderKind } from "../controller/capabilities.ts";
import { PROVIDER_CHECKS, capabilityErrors } from "../controller/capabilities.ts";
import { buildDesired } from "../controller/desired.ts";
import type { StackError } from "../controller/errors.ts";
import type { DesiredStack } from "../controller/model.ts";
import type { PolicyConfig } from "../specs/config.ts";
import type { ErrorCode, ManifestError } from "../specs/errors.ts";
import { parseFieldPath } from "../specs/errors.ts";
import type { LoadedStack, LoadResult } from "../specs/loaded.ts";
import { findTargetKinds } from "./config.ts";

/** Where validate learnt the targets, if anywhere. */
export interface ValidateTargets {
  /** Targets of the ControllerConfig (or the environment), with their provider; absent without one. */
  config?: { origin: string; targets: { name: string; provider: ProviderKind }[]; policy?: PolicyConfig };
  /** `--provider`: the platform of stacks the configuration does not place. */
  fallback?: ProviderKind;
}

/** findValidateTargets looks for the configuration as `diff` does; throws ConfigError when a named file is broken. */
export function findValidateTargets(flagPath: string | undefined, fallback: ProviderKind | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): ValidateTargets {
  const config = findTargetKinds(flagPath, env, cwd);
  return { ...(config ? { config } : {}), ...(fallback ? { fallback } : {}) };
}

/** The outcome of the provider checks: errors to add, and the provider each checked stack was checked for. */
export interface ProviderCheckResult {
  errors: ManifestError[];
  providerOf: Map<LoadedStack, ProviderKind>;
}

// Any secret value: it is never compared, and the issues of fields that hold one are dropped.
const PLACEHOLDER = "secret-placeholder";

/** checkProviders checks every stack of `result` that has no error of its own. */
export function checkProviders(result: LoadResult, targets: ValidateTargets): ProviderCheckResult {
  const failed = new Set(result.failedStackNames);
  const out: ProviderCheckResult = { errors: [], providerOf: new Map() };
  for (const loaded of result.stacks) {
    if (failed.has(loaded.stack.metadata.name)) continue;
    const placed = place(loaded, targets);
    if (!placed) continue;
    const built = buildDesired([{ file: loaded.file, stack: loaded.stack }], { targets: placed.targets, resolveSecret: () => PLACEHOLDER, describeSecret: () => "", ...(targets.config?.policy ? { policy: targets.config.policy } : {}) });
    const desired = built.stacks[0];
    const errors = [...built.errors, ...(desired && placed.provider ? capabilityErrors(desired, PROVIDER_CHECKS[placed.provider]).filter((e) => !holdsSecret(desired, e)) : [])];
    if (desired && placed.provider) out.providerOf.set(loaded, placed.provider);
    out.errors.push(...errors.map((e) => toManifestError(loaded, e)));
  }
  return out;
}

/**
 * The targets a stack's `spec.target` is resolved against, and its provider: the configuration's when it places the
 * stack, else `--provider`'s (under the stack's own target name), else none (the configuration's error stands).
 */
function place(loaded: LoadedStack, targets: ValidateTargets): { targets: string[]; provider?: ProviderKind } | undefined {
  const wanted = loaded.stack.spec.target;
  const configured = targets.config?.targets ?? [];
  const hit = wanted === undefined ? (configured.length === 1 ? configured[0] : undefined) : configured.find((t) => t.name === wanted);
  if (hit) return { targets: [hit.name], provider: hit.provider };
  if (targets.fallback) return { targets: [wanted ?? "default"], provider: targets.fallback };
  return targets.config ? { targets: configured.map((t) => t.name) } : undefined;
}

function holdsSecret(stack: DesiredStack, e: StackError): boolean {
  return stack.applications.some((app, i) => [
    ...app.secretEnv.map((k) => `spec.applications[${i}].env.${k}`),
    ...app.secretBuildArgs.map((k) => `spec.applications[${i}].buildArgs.${k}`),
  ].includes(e.field ?? ""));
}

function toManifestError(loaded: LoadedStack, e: StackError): ManifestError {
  const path = e.field ? parseFieldPath(e.field) : [];
  return { code: e.code as ErrorCode, file: loaded.file, ...loaded.locate(path), path: e.field ?? "", message: e.message, subject: e.subject };
}
