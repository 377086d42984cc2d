/**
 * The plan: what `diff` prints, `apply` executes and the controller runs — one value for all of them.
 * Each change carries a printable part (action, kind, subject, field diffs with secrets masked) and an
 * `operation` for the applier, which may hold secret values and is never rendered.
 */
import type { StackError } from "../errors.ts";
import type { AppField, AppSpec, DomainSpec } from "../model.ts";

/** What a change does. `adopt` marks an existing unmarked object as stackctl's. */
export type ChangeAction = "create" | "update" | "delete" | "deploy" | "adopt";
/** The kind of object a change touches. */
export type ResourceKind = "project" | "environment" | "application" | "domain";

/** One field's before and after; secret values are already replaced by a mask. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** An object known by id now, or created earlier in the same plan (found by subject while applying). */
export interface Ref {
  subject: string;
  id?: string;
}

/** Where an environment lives, by refs that apply() resolves. */
export interface EnvRefs {
  project: Ref;
  environment: Ref;
  environmentName: string;
}

/** What the applier calls on the provider. */
export type Operation =
  | { op: "createProject"; name: string; description: string }
  | { op: "updateProject"; id: string; description: string }
  | { op: "deleteProject"; id: string }
  | { op: "createEnvironment"; project: Ref; name: string; description: string }
  | { op: "updateEnvironment"; env: EnvRefs; description: string }
  | { op: "deleteEnvironment"; env: EnvRefs }
  | { op: "createApplication"; env: EnvRefs; name: string; description: string; spec: AppSpec }
  | { op: "updateApplication"; id: string; spec: AppSpec; fields: AppField[]; description?: string }
  | { op: "deleteApplication"; id: string }
  | { op: "createDomain"; app: Ref; domain: DomainSpec }
  | { op: "updateDomain"; appId: string; domainId: string; domain: DomainSpec }
  | { op: "deleteDomain"; appId: string; domainId: string }
  | { op: "deployApplication"; app: Ref };

/** One step of a plan. */
export interface Change {
  action: ChangeAction;
  kind: ResourceKind;
  /** `project/shop`, `project/shop env/prod`, `stack/shop app/web`, `stack/shop app/web domain/shop.example.com/`. */
  subject: string;
  diff: FieldChange[];
  operation: Operation;
  /** For an adoption handed over from a stack whose manifest is gone (a renamed stack): that stack's name. */
  from?: string;
}

/** A project or environment the plan could have removed but keeps, and why (it holds what stackctl does not own). */
export interface Kept {
  kind: "project" | "environment";
  subject: string;
  /** E.g. `holds 1 compose service not managed by stackctl`. */
  reason: string;
}

/** How a stack is handled: kept in sync, torn down (manifest gone), or left in place (deletion policy orphan). */
export type StackMode = "sync" | "teardown" | "orphan";

/** The changes of one stack, in the order they must run. A stack with errors is not applied. */
export interface StackPlan {
  stack: string;
  file: string | null;
  mode: StackMode;
  changes: Change[];
  errors: StackError[];
}

/** The whole plan for one target. */
export interface Plan {
  target: string;
  instance: string;
  /** Project creations and adoptions, run before the stacks (several stacks may share a project). */
  projects: Change[];
  /** Per-stack changes, run in parallel across stacks, in order within one. */
  stacks: StackPlan[];
  /** Project deletions, run after every stack finished. */
  cleanup: Change[];
  /** Containers left in place because they hold something stackctl does not own (printed as `keep …`). */
  kept: Kept[];
  /** Plan-wide errors, e.g. the mass-deletion guard. */
  errors: StackError[];
  /** True when the plan must not be applied at all (mass deletion without permission). */
  refused: boolean;
}

/** The mask printed in place of a secret value. */
/**
 * What a plan shows for an env or build-arg value read from the server: never the value itself, which may be a
 * secret set by hand or one that became a literal (issue #9). Renderers print it bare: `(value on server hidden) → "x"`.
 */
export const SERVER_VALUE_HIDDEN = "(value on server hidden)";
export const SECRET_MASK = "(sensitive value)";

/** countChanges sums the changes of a plan by action. */
export function countChanges(plan: Plan): Record<ChangeAction, number> {
  const counts: Record<ChangeAction, number> = { create: 0, update: 0, delete: 0, deploy: 0, adopt: 0 };
  const all = [...plan.projects, ...plan.stacks.flatMap((s) => s.changes), ...plan.cleanup];
  for (const change of all) counts[change.action] += 1;
  return counts;
}

/** hasChanges is true when applying the plan would write anything. */
export function hasChanges(plan: Plan): boolean {
  return plan.projects.length + plan.cleanup.length + plan.stacks.reduce((n, s) => n + s.changes.length, 0) > 0;
}

/** hasErrors is true when any stack or the plan itself has an error. */
export function hasErrors(plan: Plan): boolean {
  return plan.errors.length > 0 || plan.stacks.some((s) => s.errors.length > 0);
}
