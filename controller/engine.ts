/**
 * The read half of every verb: desired stacks in, one Plan per target out (observe, then plan). `diff` prints
 * these plans, `apply` executes them, and the controller loop will call the same function on every pass.
 */
import type { StackError } from "./errors.ts";
import { errorMessage } from "./errors.ts";
import type { ActualState, DesiredStack } from "./model.ts";
import { plan } from "./plan/index.ts";
import type { Plan } from "./plan/types.ts";
import type { ObserveRequest, Provider } from "./provider.ts";
import { removableEnvironments } from "./removable.ts";

/** A configured target with its provider. */
export interface TargetRuntime {
  name: string;
  provider: Provider;
}

/** What planning all targets needs. */
export interface PlanTargetsInput {
  instance: string;
  targets: readonly TargetRuntime[];
  desired: readonly DesiredStack[];
  /**
   * Stacks that must not be touched (manifest invalid, secret missing): by target, or with a null target when
   * the target could not be read — those are protected on every target.
   */
  failedStacks: readonly { name: string; target: string | null }[];
  /** No stack is treated as removed (some manifest error could not be tied to a stack). */
  suspendTeardown: boolean;
  allowMassDeletion: boolean;
  /** Plan only teardowns and project cleanup (the controller's sweep); see PlanInput.teardownOnly. */
  teardownOnly?: boolean;
  /** How much observe() reads: the controller narrows it per stack (`onlyNamed`) or per sweep (no app details). */
  observe?: Pick<ObserveRequest, "onlyNamed" | "knownProjectsOnly" | "detailApplications" | "paceReads">;
  /** Projects to read in full besides the desired stacks' own (where a stack that moved was before). */
  extraProjectNames?: readonly string[];
  /** Every stack the source declares, when the input is authoritative; see PlanInput.declared. */
  declared?: ReadonlySet<string>;
}

/**
 * A target's plan with the state it was computed from (saved plans fingerprint it), or the error that kept it from
 * being planned (server unreachable, key refused).
 */
export type TargetPlan = { target: string; plan: Plan; actual?: ActualState; error?: undefined } | { target: string; plan?: undefined; error: StackError };

/** planTargets observes and plans every target concurrently; one target's failure does not stop the others. */
export async function planTargets(input: PlanTargetsInput): Promise<TargetPlan[]> {
  return Promise.all(input.targets.map((target) => planTarget(target, input)));
}

async function planTarget(target: TargetRuntime, input: PlanTargetsInput): Promise<TargetPlan> {
  const desired = input.desired.filter((s) => s.target === target.name);
  const failedStacks = input.failedStacks.filter((f) => f.target === null || f.target === target.name).map((f) => f.name);
  try {
    const { provider } = target;
    const actual = await provider.observe({
      ...input.observe, instance: input.instance, projectNames: new Set([...desired.map((s) => s.project), ...(input.extraProjectNames ?? [])]), desiredValues: desiredValues(desired),
      mayRemoveEnvironment: removableEnvironments(input.instance, desired, input.suspendTeardown),
    });
    const result = plan({
      target: target.name,
      instance: input.instance,
      desired,
      failedStacks,
      actual,
      suspendTeardown: input.suspendTeardown,
      ...(input.teardownOnly ? { teardownOnly: true } : {}),
      allowMassDeletion: input.allowMassDeletion,
      ...(input.declared ? { declared: input.declared } : {}),
      unsupported: (spec, path) => provider.unsupported(spec, path),
      domainsNeedRedeploy: provider.domainsNeedRedeploy === true,
      ...(provider.unsupportedStack ? { unsupportedStack: (project: string, env: string, description: string | null) => provider.unsupportedStack!(project, env, description) } : {}),
    });
    return { target: target.name, plan: result, actual };
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === "string" ? (err as { code: string }).code : "observe.failed";
    return { target: target.name, error: { code, subject: `target/${target.name}`, message: `could not read the server: ${errorMessage(err)}` } };
  }
}

/**
 * desiredValues looks up an application's desired env and build args by project, environment and application name
 * (unique per target), so a provider that cannot read values back compares fingerprints instead (Coolify).
 */
export function desiredValues(desired: readonly DesiredStack[]): NonNullable<ObserveRequest["desiredValues"]> {
  const byName = new Map<string, { env: Record<string, string>; buildArgs: Record<string, string> }>();
  for (const stack of desired) {
    for (const app of stack.applications) byName.set(JSON.stringify([stack.project, stack.environment, app.name]), { env: app.spec.env, buildArgs: app.spec.buildArgs });
  }
  return (project, environment, application) => byName.get(JSON.stringify([project, environment, application]));
}
