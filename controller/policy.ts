/**
 * The operator's policy on manifests (ControllerConfig `policy`, issue #9): what a Stack may not ask for even when
 * it is valid. Today: bind mounts, whose `hostPath` must match one of `policy.hostPaths.allow` when that list is set
 * (`/srv/**`: anything under /srv; `*` is one path segment). A violation is an error on that field and nothing of
 * the stack is applied — or torn down.
 */
import { posix } from "node:path";
import type { NormalizedStack } from "../specs/normalize.ts";
import type { PolicyConfig } from "../specs/config.ts";
import type { StackError } from "./errors.ts";
import { subjectOf } from "./errors.ts";

/** hostPathAllowed tells whether `hostPath` (normalised first, so `..` cannot escape) matches the policy. */
export function hostPathAllowed(hostPath: string, policy: PolicyConfig | undefined): boolean {
  const allow = policy?.hostPaths?.allow;
  if (allow === undefined) return true;
  const path = posix.normalize(hostPath).replace(/(.)\/+$/, "$1");
  return allow.some((pattern) => posix.matchesGlob(path, pattern) || (pattern.endsWith("/**") && path === pattern.slice(0, -3)));
}

/** policyErrors lists every field of `stack` the policy forbids, as `policy.host-path` errors. */
export function policyErrors(stack: NormalizedStack, file: string, policy: PolicyConfig | undefined): StackError[] {
  const allow = policy?.hostPaths?.allow;
  if (allow === undefined) return [];
  const errors: StackError[] = [];
  stack.spec.applications.forEach((app, i) => {
    app.volumes.forEach((v, j) => {
      if (!("hostPath" in v) || hostPathAllowed(v.hostPath, policy)) return;
      errors.push({
        code: "policy.host-path",
        subject: subjectOf(stack.metadata.name, ["app", app.name]),
        file,
        field: `spec.applications[${i}].volumes[${j}].hostPath`,
        message: `hostPath ${v.hostPath} is not allowed by the ControllerConfig's policy.hostPaths.allow (${allow.length > 0 ? allow.join(", ") : "empty: no bind mounts"}); nothing of this stack is applied`,
      });
    });
  });
  return errors;
}
