/**
 * The shape of one stack's status record on disk, checked with zod whenever it is read back: a record that does not
 * match (hand-edited, truncated, written by another version) is never trusted. Fields added to StackStatus are added
 * here too, optional with a default, so records written before them still load.
 */
import { z } from "zod";

/** The version of the per-stack record format; a record of any other version is moved aside, not guessed at. */
export const STATUS_RECORD_VERSION = 1;

const conditionSchema = z.object({
  type: z.enum(["Ready", "Reconciling", "Stalled"]),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
});

const count = z.number().int().nonnegative();

/** One stack's status as stored; see StackStatus in status.ts for the meaning of each field. */
export const stackStatusSchema = z.object({
  name: z.string().min(1),
  target: z.string(),
  conditions: z.array(conditionSchema),
  lastAttemptedRevision: z.string().nullable(),
  lastAppliedRevision: z.string().nullable(),
  lastPlan: z.object({ create: count, update: count, delete: count, deploy: count, adopt: count }).nullable(),
  lastError: z.string().nullable(),
  inventory: z.array(z.string()),
  lastReconcileAt: z.string().nullable(),
});

/** The file of one stack: its status under a format version. */
export const statusRecordSchema = z.object({
  version: z.literal(STATUS_RECORD_VERSION),
  status: stackStatusSchema,
});

/** The whole-fleet `state.json` of earlier versions, read once to carry its statuses over. */
export const legacyStateSchema = z.object({
  version: z.literal(1),
  stacks: z.array(z.unknown()),
});

/** A stored stack status as read back: the status, or why the text is not a usable record (one line). */
export type ParsedRecord = { status: z.infer<typeof stackStatusSchema> } | { problem: string };

/** parseRecord validates the text of `expectedName`'s file: empty, truncated, another version or another shape is a problem. */
export function parseRecord(text: string, expectedName: string): ParsedRecord {
  if (text.trim() === "") return { problem: "the file is empty" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: "the file is not valid JSON (truncated or corrupted)" };
  }
  const version = (parsed as { version?: unknown } | null)?.version;
  if (version !== STATUS_RECORD_VERSION) return { problem: `expected a status record of version ${STATUS_RECORD_VERSION}, found version ${JSON.stringify(version ?? null)}` };
  const result = statusRecordSchema.safeParse(parsed);
  if (!result.success) return { problem: `the record has the wrong shape: ${z.prettifyError(result.error).replace(/\s*\n\s*/g, "; ")}` };
  if (result.data.status.name !== expectedName) return { problem: `the record is for stack '${result.data.status.name}', not '${expectedName}'` };
  return { status: result.data.status };
}
