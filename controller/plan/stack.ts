/**
 * Planning of one desired stack: its environment, its applications, and the pruning of what it owns but no
 * longer declares (applications, and environments it moved away from).
 */
import { subjectOf } from "../errors.ts";
import type { ActualEnvironment, ActualProject, DesiredStack } from "../model.ts";
import { formatMarker, markedDescription } from "../ownership.ts";
import type { AppPlanContext } from "./application.ts";
import { deleteApplication, ownerOf, planApplications } from "./application.ts";
import { environmentKeeper, foreignContents } from "./contents.ts";
import { guardEmptyStack } from "./guard.ts";
import { claimEnvironment } from "./ownership.ts";
import type { ObservedIndex } from "./observed.ts";
import { ownedApplicationsOf, ownedEnvironmentsOf } from "./observed.ts";
import type { Change, EnvRefs, Kept, StackPlan } from "./types.ts";

/** What stack planning needs: the app context plus the indexed observed state (for pruning elsewhere). */
export interface StackPlanContext extends AppPlanContext {
  observed: ObservedIndex;
  /** Collects the environments kept in place because they hold what stackctl does not own. */
  kept: Kept[];
  /** Every application of a stack may be deleted (`--allow-mass-deletion`). */
  allowMassDeletion: boolean;
}

/** planStack plans `stack` in `project` (null when the project is created by this plan). */
export function planStack(stack: DesiredStack, project: ActualProject | null, ctx: StackPlanContext): StackPlan {
  const plan: StackPlan = { stack: stack.name, file: stack.file, mode: "sync", changes: [], errors: [] };
  const envSubject = `project/${stack.project} env/${stack.environment}`;
  const description = formatMarker(ownerOf(stack, ctx.instance), stack.description);
  const claim = project ? claimEnvironment(project, stack.environment, ctx.instance, stack.name, stack.adopt, ctx.handover) : { kind: "missing" as const };
  if (claim.kind === "conflict") {
    plan.errors.push({ code: "ownership.conflict", subject: subjectOf(stack.name), file: stack.file, message: claim.message });
    return plan;
  }
  const env = claim.kind === "missing" ? null : claim.object;
  const refs: EnvRefs = {
    project: { subject: `project/${stack.project}`, ...(project ? { id: project.id } : {}) },
    environment: { subject: envSubject, ...(env ? { id: env.id } : {}) },
    environmentName: stack.environment,
  };
  if (claim.kind === "missing") {
    plan.changes.push({ action: "create", kind: "environment", subject: envSubject, diff: [{ field: "name", before: null, after: stack.environment }], operation: { op: "createEnvironment", project: refs.project, name: stack.environment, description } });
  } else {
    // A description that already is the one to write (the common case) is settled without parsing it.
    const kept = env!.description === description ? description : markedDescription(ownerOf(stack, ctx.instance), stack.description, env!.description);
    if (claim.kind === "adoptable" || env!.description !== kept) {
      const action = claim.kind === "adoptable" ? "adopt" : "update";
      const from = claim.kind === "adoptable" && claim.from ? { from: claim.from } : {};
      plan.changes.push({ action, kind: "environment", subject: envSubject, diff: [{ field: "description", before: env!.description, after: kept }], operation: { op: "updateEnvironment", env: refs, description: kept }, ...from });
    }
  }
  const apps = planApplications(stack, env, refs, ctx);
  plan.changes.push(...apps.changes);
  plan.errors.push(...apps.errors);
  if (stack.prune) plan.changes.push(...pruneStale(stack, env, ctx));
  plan.errors.push(...guardEmptyStack(stack, plan.changes, ctx.allowMassDeletion));
  if (plan.errors.length > 0) plan.changes = [];
  return plan;
}

/** Owned applications not declared any more, and owned environments the stack moved away from. */
function pruneStale(stack: DesiredStack, env: ActualEnvironment | null, ctx: StackPlanContext): Change[] {
  // Owned applications of a wanted name in the current environment are planApplications' (duplicates included).
  // (A stack declares a handful of applications: a scan of them costs less than a set built per stack.)
  const wanted = (name: string) => stack.applications.some((a) => a.name === name);
  const stale = ownedApplicationsOf(ctx.observed, stack.name).filter(({ app, env: e }) => !(e.id === env?.id && wanted(app.name)));
  const changes = stale.map(({ app }) => deleteApplication(app, subjectOf(stack.name, ["app", app.name])));
  const environments = ownedEnvironmentsOf(ctx.observed, stack.name);
  if (environments.every((e) => e.env.id === env?.id || e.env.isDefault)) return changes;
  const staleIds = new Set(stale.map((s) => s.app.id));
  for (const { project, env: e } of environments) {
    if (e.id === env?.id || e.isDefault) continue;
    const contents = foreignContents(e, ctx.instance, staleIds);
    if (contents.length === 0) changes.push(deleteEnvironment(project, e));
    else {
      const kept = environmentKeeper(project, e, contents);
      if (kept) ctx.kept.push(kept);
    }
  }
  return changes;
}

/** deleteEnvironment is the change removing an owned, emptied environment. */
export function deleteEnvironment(project: ActualProject, env: ActualEnvironment): Change {
  const refs: EnvRefs = { project: { subject: `project/${project.name}`, id: project.id }, environment: { subject: `project/${project.name} env/${env.name}`, id: env.id }, environmentName: env.name };
  return { action: "delete", kind: "environment", subject: refs.environment.subject, diff: [], operation: { op: "deleteEnvironment", env: refs } };
}

