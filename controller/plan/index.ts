/**
 * plan(): the pure heart of stackctl. Given the desired stacks of one target and the server's observed state, it
 * returns the ordered changes that make the server match — with no I/O and no clock, so `diff`, `apply` and the
 * controller print and execute the very same value, and tests drive it with plain data.
 */
import { stackCapabilityErrors } from "../capabilities.ts";
import { subjectOf } from "../errors.ts";
import type { ActualProject, ActualState, DesiredStack } from "../model.ts";
import { formatMarker, markedDescription } from "../ownership.ts";
import type { CapabilityIssue } from "../provider.ts";
import type { AppPlanContext } from "./application.ts";
import { ownerOf } from "./application.ts";
import { guardMassDeletion } from "./guard.ts";
import { claimProject } from "./ownership.ts";
import { planHandover } from "./handover.ts";
import type { ObservedIndex } from "./observed.ts";
import { indexObserved, projectsNamed } from "./observed.ts";
import { planStack } from "./stack.ts";
import { planCleanup, planTeardowns } from "./teardown.ts";
import type { Change, Kept, Plan, StackPlan } from "./types.ts";

/** Everything plan() looks at. */
export interface PlanInput extends AppPlanContext {
  target: string;
  desired: readonly DesiredStack[];
  /** Stacks whose manifests failed to load or resolve: never torn down, never touched. */
  failedStacks: readonly string[];
  actual: ActualState;
  /** When true no stack is torn down and no project cleaned up: some manifest failed without a readable name. */
  suspendTeardown?: boolean;
  /**
   * When true only teardowns and project cleanup are planned; desired stacks are kept but not synced. The
   * controller's teardown sweep uses this, while each stack's own reconcile syncs it.
   */
  teardownOnly?: boolean;
  allowMassDeletion: boolean;
  /**
   * Every stack name the source declares (valid, broken or suspended, on any target), when the input is
   * authoritative (the directories of the source). Objects of this instance's stacks outside it are handed over to
   * the stack that now declares them (a rename). Absent: nothing is handed over.
   */
  declared?: ReadonlySet<string>;
  /** The pure stack-level capability check of the target's provider (e.g. Coolify's name rules), when it has one. */
  unsupportedStack?: (project: string, environment: string, description: string | null) => CapabilityIssue[];
}

/** How a project name resolved: the project to use (null when created by `change`), or why not. */
type ProjectResolution = { project: ActualProject | null; change?: Change } | { error: string };

/** plan computes the changes for one target, in a deterministic order. */
export function plan(input: PlanInput): Plan {
  const desired = [...input.desired].sort((a, b) => a.name.localeCompare(b.name));
  // Indexed once: every lookup below is by name or owner, never a scan of the server per stack.
  const observed = indexObserved(input.actual, input.instance);
  const projects = resolveProjects(desired, input, observed);
  const handover = planHandover({ instance: input.instance, desired, observed, declared: input.declared ?? null });
  const kept: Kept[] = [];
  // One context for every stack, not a copy of the input per stack.
  const stackContext = { ...input, observed, handover, kept };
  const stacks: StackPlan[] = (input.teardownOnly ? [] : desired).map((stack) => {
    const resolution = projects.get(stack.project)!;
    const planned: StackPlan = "error" in resolution
      ? { stack: stack.name, file: stack.file, mode: "sync", changes: [], errors: [{ code: "ownership.conflict", subject: subjectOf(stack.name), file: stack.file, message: resolution.error }] }
      : planStack(stack, resolution.project, stackContext);
    return withStackIssues(planned, stack, input);
  });
  // Asked of each managed stack, never copied: `declared` holds the whole source, and a controller plans one stack at
  // a time, so a set of every declared name built per plan made its first sync O(N²).
  const desiredNames = new Set(desired.map((s) => s.name));
  const failedNames = new Set(input.failedStacks);
  const keep = { has: (name: string) => desiredNames.has(name) || failedNames.has(name) || input.declared?.has(name) === true };
  const teardown = { actual: input.actual, observed, instance: input.instance, keep, handover, kept };
  if (!input.suspendTeardown) stacks.push(...planTeardowns(teardown));
  // A project is created or adopted only for stacks that can be applied: nothing would go into it otherwise.
  const applicable = new Set(stacks.filter((s) => s.mode === "sync" && s.errors.length === 0).map((s) => s.stack));
  const projectChanges = desired
    .filter((stack) => applicable.has(stack.name))
    .map((stack) => projects.get(stack.project)!)
    .flatMap((r) => ("change" in r && r.change ? [r.change] : []));
  const result: Plan = {
    target: input.target,
    instance: input.instance,
    projects: [...new Set(projectChanges)],
    stacks,
    cleanup: input.suspendTeardown ? [] : planCleanup({ ...teardown, usedProjects: new Set(desired.map((s) => s.project)), stacks }),
    kept,
    errors: [],
    refused: false,
  };
  return guardMassDeletion(result, { actual: input.actual, observed, instance: input.instance, allow: input.allowMassDeletion });
}

/**
 * A stack whose project, environment or description the platform cannot hold fails here, with the field to fix,
 * instead of at apply with the server's 422 half-way through; its other errors are reported with it.
 */
function withStackIssues(planned: StackPlan, stack: DesiredStack, input: PlanInput): StackPlan {
  const errors = stackCapabilityErrors(stack, input.unsupportedStack);
  if (errors.length === 0) return planned;
  return { ...planned, changes: [], errors: [...errors, ...planned.errors] };
}

/** Resolves each project name once; it is adopted when any stack that uses it asks for adoption. */
function resolveProjects(desired: readonly DesiredStack[], input: PlanInput, observed: ObservedIndex): Map<string, ProjectResolution> {
  const resolutions = new Map<string, ProjectResolution>();
  const adopting = new Set(desired.filter((s) => s.adopt).map((s) => s.project));
  for (const first of desired) {
    const name = first.project;
    if (resolutions.has(name)) continue; // resolved for the first stack (in name order) that uses it
    const adopt = adopting.has(name);
    const claim = claimProject(projectsNamed(observed, name), name, input.instance, adopt);
    const subject = `project/${name}`;
    const description = formatMarker(ownerOf(first, input.instance), first.description);
    if (claim.kind === "conflict") resolutions.set(name, { error: claim.message });
    if (claim.kind === "owned") resolutions.set(name, { project: claim.object });
    if (claim.kind === "missing") {
      const change: Change = { action: "create", kind: "project", subject, diff: [{ field: "name", before: null, after: name }], operation: { op: "createProject", name, description } };
      resolutions.set(name, { project: null, change });
    }
    if (claim.kind === "adoptable") {
      const kept = markedDescription(ownerOf(first, input.instance), first.description, claim.object.description);
      const change: Change = { action: "adopt", kind: "project", subject, diff: [{ field: "description", before: claim.object.description, after: kept }], operation: { op: "updateProject", id: claim.object.id, description: kept } };
      resolutions.set(name, { project: claim.object, change });
    }
  }
  return resolutions;
}
