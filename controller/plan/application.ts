/**
 * Planning of one stack's applications and their domains inside its environment: create what is missing,
 * update what drifted, adopt or refuse unmarked look-alikes, delete owned duplicates, and deploy what changed.
 */
import { applicationCapabilityErrors } from "../capabilities.ts";
import { subjectOf } from "../errors.ts";
import type { StackError } from "../errors.ts";
import type { ActualApplication, ActualEnvironment, DesiredApplication, DesiredStack, DomainSpec, OwnerMarker } from "../model.ts";
import { formatMarker, isOwnedBy, userText } from "../ownership.ts";
import type { CapabilityIssue } from "../provider.ts";
import { changedFields, describeCreate, describeDomain, describeFields, domainKey } from "./diff.ts";
import type { Change, EnvRefs, Ref } from "./types.ts";

/** What application planning needs besides the stack. */
export interface AppPlanContext {
  instance: string;
  /** The pure capability check of the target's provider. */
  unsupported: (spec: DesiredApplication["spec"], path: string) => CapabilityIssue[];
  /** Deploy after a domain change too: the platform applies routing only on deployment (Coolify). */
  domainsNeedRedeploy?: boolean;
  /** Objects handed over from stacks whose manifests are gone (see handover.ts): id → old stack. */
  handover?: ReadonlyMap<string, string>;
}

/** The changes and errors of a stack's applications. */
export interface AppPlan {
  changes: Change[];
  errors: StackError[];
}

/** ownerOf is the marker a stack writes on its objects. */
export function ownerOf(stack: DesiredStack, instance: string): OwnerMarker {
  return stack.orphanOnDelete ? { instance, stack: stack.name, orphan: true } : { instance, stack: stack.name };
}

/** planApplications plans every desired application of `stack` in `env` (null when the environment is new). */
export function planApplications(stack: DesiredStack, env: ActualEnvironment | null, refs: EnvRefs, ctx: AppPlanContext): AppPlan {
  const result: AppPlan = { changes: [], errors: [] };
  const description = formatMarker(ownerOf(stack, ctx.instance));
  stack.applications.forEach((app, index) => {
    const subject = subjectOf(stack.name, ["app", app.name]);
    const issues = applicationCapabilityErrors(stack, app, index, ctx.unsupported);
    result.errors.push(...issues);
    if (issues.length > 0) return;
    const candidates = (env?.applications ?? []).filter((a) => a.name === app.name).sort((a, b) => a.id.localeCompare(b.id));
    const owned = candidates.filter((a) => isOwnedBy(a.owner, ctx.instance, stack.name));
    if (owned.length > 0) {
      result.changes.push(...updateApplication(app, owned[0]!, { subject, description, prune: stack.prune, ctx }));
      // A crash between create and the next observe cannot leave duplicates, but a user's copy could: remove extras.
      for (const extra of owned.slice(1)) result.changes.push(deleteApplication(extra, `${subject} (duplicate ${extra.id})`));
      return;
    }
    const inherited = candidates.find((a) => ctx.handover?.has(a.id));
    if (inherited) {
      result.changes.push(...updateApplication(app, inherited, { subject, description, prune: stack.prune, ctx, adopting: true, from: ctx.handover!.get(inherited.id)! }));
      return;
    }
    const unmarked = candidates.find((a) => a.owner === null);
    if (candidates.length === 0) {
      result.changes.push(...createApplication(app, refs, subject, description));
    } else if (unmarked && stack.adopt) {
      result.changes.push(...updateApplication(app, unmarked, { subject, description, prune: stack.prune, ctx, adopting: true }));
    } else {
      const owner = candidates[0]!.owner;
      const why = owner === null ? `exists and is not managed by stackctl; to take it over, set the annotation stackctl.dev/adopt: "true"` : `is managed by stackctl instance '${owner.instance}' for stack '${owner.stack}'`;
      result.errors.push({ code: "ownership.conflict", subject, file: stack.file, message: `application '${app.name}' in environment '${refs.environmentName}' ${why}` });
    }
  });
  return result;
}

function createApplication(app: DesiredApplication, env: EnvRefs, subject: string, description: string): Change[] {
  const ref: Ref = { subject };
  const changes: Change[] = [
    { action: "create", kind: "application", subject, diff: describeCreate(app), operation: { op: "createApplication", env, name: app.name, description, spec: app.spec } },
  ];
  for (const domain of sortedDomains(app)) {
    changes.push({ action: "create", kind: "domain", subject: domainSubject(subject, domain), diff: describeDomain(domain, null), operation: { op: "createDomain", app: ref, domain } });
  }
  if (app.spec.state === "running") changes.push(deployChange(subject, ref));
  return changes;
}

/** How updateApplication plans one application. */
interface UpdateOptions {
  subject: string;
  description: string;
  prune: boolean;
  ctx: AppPlanContext;
  adopting?: boolean;
  /** The absent stack an adoption takes the application over from. */
  from?: string;
}

function updateApplication(app: DesiredApplication, actual: ActualApplication, { subject, description: marker, prune, ctx, adopting = false, from }: UpdateOptions): Change[] {
  // An application's manifest has no description: what someone wrote on it stays in front of the marker.
  // The common case, a description that is the marker alone, is settled without parsing it.
  const text = actual.description === marker ? null : userText(actual.description);
  const description = text ? `${text} ${marker}` : marker;
  const fields = changedFields(app.spec, actual.spec);
  const describe = describeFields(app, actual.spec, fields);
  const changes: Change[] = [];
  if (adopting || actual.description !== description) {
    const action = adopting ? "adopt" : "update";
    const diff = [{ field: "description", before: actual.description, after: description }, ...describe];
    changes.push({ action, kind: "application", subject, diff, operation: { op: "updateApplication", id: actual.id, spec: app.spec, fields, description }, ...(from ? { from } : {}) });
  } else if (fields.length > 0) {
    changes.push({ action: "update", kind: "application", subject, diff: describe, operation: { op: "updateApplication", id: actual.id, spec: app.spec, fields } });
  }
  const domains = planDomains(app, actual, subject, prune);
  changes.push(...domains);
  // A last deployment that failed, or a service the platform reports failed, is redeployed (the controller bounds the retries).
  const failed = actual.runtime === "failed" && !fields.includes("state");
  const redeploy = failed || fields.some((f) => f !== "state") || (fields.includes("state") && app.spec.state === "running") || (ctx.domainsNeedRedeploy === true && domains.length > 0);
  const diff = failed ? [{ field: "status", before: "failed", after: "running" }] : [];
  if (redeploy && app.spec.state === "running") changes.push(deployChange(subject, { subject, id: actual.id }, diff));
  return changes;
}

function planDomains(app: DesiredApplication, actual: ActualApplication, appSubject: string, prune: boolean): Change[] {
  if (actual.domains === undefined) return [];
  const existing = new Map(actual.domains.map((d) => [domainKey(d), d]));
  // The common case, every domain as wanted and nothing stale, returns before any sorting or subject is made.
  const same = (d: DomainSpec) => {
    const current = existing.get(domainKey(d));
    return current !== undefined && current.port === d.port && current.https === d.https;
  };
  if (app.domains.every(same) && (!prune || existing.size === app.domains.length)) return [];
  const wanted = new Set(app.domains.map(domainKey));
  const changes: Change[] = [];
  const stale = prune ? actual.domains.filter((d) => !wanted.has(domainKey(d))) : [];
  for (const domain of stale.sort(byDomainKey)) {
    changes.push({ action: "delete", kind: "domain", subject: domainSubject(appSubject, domain), diff: describeDomain(null, domain), operation: { op: "deleteDomain", appId: actual.id, domainId: domain.id } });
  }
  for (const domain of sortedDomains(app)) {
    const current = existing.get(domainKey(domain));
    const subject = domainSubject(appSubject, domain);
    if (!current) {
      changes.push({ action: "create", kind: "domain", subject, diff: describeDomain(domain, null), operation: { op: "createDomain", app: { subject: appSubject, id: actual.id }, domain } });
    } else if (current.port !== domain.port || current.https !== domain.https) {
      changes.push({ action: "update", kind: "domain", subject, diff: describeDomain(domain, current), operation: { op: "updateDomain", appId: actual.id, domainId: current.id, domain } });
    }
  }
  return changes;
}

/** deleteApplication is the change that removes an owned application (its domains go with it). */
export function deleteApplication(actual: ActualApplication, subject: string): Change {
  return { action: "delete", kind: "application", subject, diff: [], operation: { op: "deleteApplication", id: actual.id } };
}

function deployChange(subject: string, app: Ref, diff: Change["diff"] = []): Change {
  return { action: "deploy", kind: "application", subject, diff, operation: { op: "deployApplication", app } };
}

function domainSubject(appSubject: string, d: { host: string; path: string }): string {
  return `${appSubject} domain/${domainKey(d)}`;
}

function sortedDomains(app: DesiredApplication): DesiredApplication["domains"] {
  return [...app.domains].sort(byDomainKey);
}

function byDomainKey(a: { host: string; path: string }, b: { host: string; path: string }): number {
  return domainKey(a).localeCompare(domainKey(b));
}
