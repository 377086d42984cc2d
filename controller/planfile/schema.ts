/**
 * The saved-plan file (`stackctl diff --out plan.json`), validated with zod on load. It records what the plan was
 * computed from — the manifests' digests, the configuration's instance and targets, the fingerprints of the
 * observed objects — and the printable plan. It never holds an operation (operations carry resolved secrets):
 * `apply plan.json` re-plans, checks that nothing moved, and applies that plan with the secrets resolved again.
 */
import { z } from "zod";

/** The `kind` of a saved plan file. */
export const SAVED_PLAN_KIND = "StackctlPlan";
/** The version of the saved-plan format; a file of another version is refused. */
export const SAVED_PLAN_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { message: "expected a SHA-256 in hex" });

const FieldChangeSchema = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
const ChangeSchema = z.object({
  action: z.enum(["create", "update", "delete", "deploy", "adopt"]),
  kind: z.enum(["project", "environment", "application", "domain"]),
  subject: z.string(),
  diff: z.array(FieldChangeSchema),
  /** A hand-over from a stack whose manifest is gone: `stack/<old name>`. */
  from: z.string().optional(),
});
const KeptSchema = z.object({ kind: z.enum(["project", "environment"]), subject: z.string(), reason: z.string() });
const ErrorSchema = z.object({ code: z.string(), subject: z.string(), message: z.string(), file: z.string().nullable(), field: z.string().nullable() });

/** The printable plan of one target, as `planToJson` writes it. */
export const JsonPlanSchema = z.object({
  target: z.string(),
  instance: z.string(),
  refused: z.boolean(),
  summary: z.object({ create: z.int(), update: z.int(), delete: z.int(), deploy: z.int(), adopt: z.int() }),
  deletions: z.array(z.string()),
  projects: z.array(ChangeSchema),
  stacks: z.array(z.object({ stack: z.string(), file: z.string().nullable(), mode: z.enum(["sync", "teardown", "orphan"]), changes: z.array(ChangeSchema), errors: z.array(ErrorSchema) })),
  cleanup: z.array(ChangeSchema),
  kept: z.array(KeptSchema),
  errors: z.array(ErrorSchema),
});

/** A saved plan. */
export const SavedPlanSchema = z.object({
  kind: z.literal(SAVED_PLAN_KIND),
  formatVersion: z.literal(SAVED_PLAN_VERSION),
  createdAt: z.string(),
  instance: z.string(),
  /** The manifest paths given to `diff`, relative to the directory it ran in. */
  paths: z.array(z.string()).min(1),
  allowMassDeletion: z.boolean(),
  manifests: z.array(z.object({ file: z.string(), sha256 })),
  targets: z.array(
    z.object({
      target: z.string(),
      observed: z.array(z.object({ object: z.string(), id: z.string(), sha256 })),
      plan: JsonPlanSchema,
    }),
  ),
});

/** A saved plan, as read and validated. */
export type SavedPlan = z.infer<typeof SavedPlanSchema>;
