/**
 * What each platform can express, in one place: the pure capability checks of every provider kind and their
 * translation into `provider.unsupported` errors on a stack. plan() reports them before it plans a stack's
 * applications, and `stackctl validate` reports the very same errors offline, with no server and no secrets.
 */
import type { StackError } from "./errors.ts";
import { subjectOf } from "./errors.ts";
import type { DesiredApplication, DesiredStack } from "./model.ts";
import type { CapabilityIssue, Provider } from "./provider.ts";
import { coolifyUnsupported, coolifyUnsupportedStack } from "./providers/coolify/capabilities.ts";
import { dokployUnsupported } from "./providers/dokploy/capabilities.ts";

/** The platforms stackctl speaks to. */
export type ProviderKind = Provider["kind"];

/** A provider's pure checks: per application (at a manifest path) and, optionally, for the stack's names. */
export interface CapabilityChecks {
  unsupported: (spec: DesiredApplication["spec"], path: string) => CapabilityIssue[];
  unsupportedStack?: (project: string, environment: string, description: string | null) => CapabilityIssue[];
}

/** The checks of each provider kind; the providers expose the same functions to plan(). */
export const PROVIDER_CHECKS: Readonly<Record<ProviderKind, CapabilityChecks>> = {
  dokploy: { unsupported: dokployUnsupported },
  coolify: { unsupported: coolifyUnsupported, unsupportedStack: coolifyUnsupportedStack },
};

/** The manifest path of a stack's `index`th application, the prefix of its issues' fields. */
export function applicationPath(index: number): string {
  return `spec.applications[${index}]`;
}

/** applicationCapabilityErrors lists what the platform cannot express of `app`, the `index`th application of `stack`. */
export function applicationCapabilityErrors(stack: DesiredStack, app: DesiredApplication, index: number, unsupported: CapabilityChecks["unsupported"]): StackError[] {
  const issues = unsupported(app.spec, applicationPath(index));
  if (issues.length === 0) return issues as []; // the common case allocates no subject
  const subject = subjectOf(stack.name, ["app", app.name]);
  return issues.map((issue) => ({ code: "provider.unsupported", subject, file: stack.file, field: issue.field, message: issue.message }));
}

/** stackCapabilityErrors lists what the platform cannot express of the stack's project, environment and description. */
export function stackCapabilityErrors(stack: DesiredStack, unsupportedStack: CapabilityChecks["unsupportedStack"]): StackError[] {
  const issues = unsupportedStack?.(stack.project, stack.environment, stack.description) ?? [];
  return issues.map((i) => ({ code: "provider.unsupported", subject: subjectOf(stack.name), file: stack.file, field: i.field, message: i.message }));
}

/** capabilityErrors is every `provider.unsupported` error of `stack` on a platform with `checks`: stack first, then applications. */
export function capabilityErrors(stack: DesiredStack, checks: CapabilityChecks): StackError[] {
  return [
    ...stackCapabilityErrors(stack, checks.unsupportedStack),
    ...stack.applications.flatMap((app, i) => applicationCapabilityErrors(stack, app, i, checks.unsupported)),
  ];
}
