/**
 * The machine-readable plan (`stackctl diff --format json`). Stable: fields are only ever added within a
 * `formatVersion`; a rename or removal bumps it. Documented in the README ("Plan output"). Sorted as the plan is,
 * built from the printable part of each change only, so it holds no secret.
 */
import type { StackError } from "../errors.ts";
import type { Change, Plan } from "../plan/types.ts";
import { countChanges } from "../plan/types.ts";
import { deletionsOf } from "./document.ts";

/** The version of the JSON plan document; bumped on any incompatible change. */
export const PLAN_FORMAT_VERSION = 1;

/** One change as JSON: `diff` holds the model's values (bytes, milliseconds), secrets already masked. */
export interface JsonChange {
  action: Change["action"];
  kind: Change["kind"];
  subject: string;
  diff: Change["diff"];
  /** For a hand-over from a stack whose manifest is gone (a rename): `stack/<old name>`. */
  from?: string;
}

function change(c: Change): JsonChange {
  return { action: c.action, kind: c.kind, subject: c.subject, diff: c.diff, ...(c.from ? { from: `stack/${c.from}` } : {}) };
}

/** errorToJson is a StackError with every key present (null when unknown). */
export function errorToJson(e: StackError): object {
  return { code: e.code, subject: e.subject, message: e.message, file: e.file ?? null, field: e.field ?? null };
}

/** planToJson is one target's plan: summary counts, deletions first, then the changes in execution order. */
export function planToJson(plan: Plan): object {
  return {
    target: plan.target,
    instance: plan.instance,
    refused: plan.refused,
    summary: countChanges(plan),
    deletions: deletionsOf(plan).map((c) => c.subject),
    projects: plan.projects.map(change),
    stacks: plan.stacks.map((s) => ({ stack: s.stack, file: s.file, mode: s.mode, changes: s.changes.map(change), errors: s.errors.map(errorToJson) })),
    cleanup: plan.cleanup.map(change),
    kept: plan.kept,
    errors: plan.errors.map(errorToJson),
  };
}
