/**
 * Kubernetes-style conditions of a stack (style-anchors Lesson 7, after fluxcd/pkg `runtime/conditions`):
 * `Ready` is always present; `Reconciling` and `Stalled` are "abnormal-true" and present only while True.
 * `lastTransitionTime` moves only when status, reason or message change, so a steady state does not churn.
 * All functions are pure: they return a new list and never mutate their input.
 */

/** The condition types a stack carries. */
export type ConditionType = "Ready" | "Reconciling" | "Stalled";

/** A condition's status, as in Kubernetes. */
export type ConditionStatus = "True" | "False" | "Unknown";

/** One condition. `reason` is PascalCase and stable; `message` is for people. */
export interface Condition {
  type: ConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
  /** ISO 8601. */
  lastTransitionTime: string;
}

/** The reasons the controller uses; callers may use others, but these are the stable vocabulary. */
export const Reasons = {
  Succeeded: "Succeeded",
  Progressing: "Progressing",
  ReconciliationFailed: "ReconciliationFailed",
  FetchFailed: "FetchFailed",
  InvalidManifest: "InvalidManifest",
  AuthenticationFailed: "AuthenticationFailed",
  TargetUnavailable: "TargetUnavailable",
  DependencyNotReady: "DependencyNotReady",
  SecretMissing: "SecretMissing",
  Suspended: "Suspended",
  PlanFailed: "PlanFailed",
  DeletionRefused: "DeletionRefused",
} as const;

const ORDER: ConditionType[] = ["Ready", "Reconciling", "Stalled"];

/** getCondition returns the condition of `type`, if present. */
export function getCondition(conditions: readonly Condition[], type: ConditionType): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

/** isTrue reports whether the condition of `type` is present with status True. */
export function isTrue(conditions: readonly Condition[], type: ConditionType): boolean {
  return getCondition(conditions, type)?.status === "True";
}

/**
 * setCondition adds or replaces the condition of `next.type`, keeping the previous `lastTransitionTime` when status,
 * reason and message are unchanged; the list is kept in the order Ready, Reconciling, Stalled.
 */
export function setCondition(
  conditions: readonly Condition[],
  next: Omit<Condition, "lastTransitionTime">,
  now: Date,
): Condition[] {
  const prev = getCondition(conditions, next.type);
  const same = prev && prev.status === next.status && prev.reason === next.reason && prev.message === next.message;
  const cond: Condition = { ...next, lastTransitionTime: same ? prev.lastTransitionTime : now.toISOString() };
  return sortConditions([...conditions.filter((c) => c.type !== next.type), cond]);
}

/** removeCondition drops the condition of `type`. */
export function removeCondition(conditions: readonly Condition[], type: ConditionType): Condition[] {
  return conditions.filter((c) => c.type !== type);
}

/**
 * markReconciling records that work on the stack is in progress: Reconciling=True and Ready=Unknown (unless Ready is
 * already Unknown); a Stalled condition is cleared because the controller is trying again.
 */
export function markReconciling(conditions: readonly Condition[], message: string, now: Date): Condition[] {
  let next = removeCondition(conditions, "Stalled");
  next = setCondition(next, { type: "Reconciling", status: "True", reason: Reasons.Progressing, message }, now);
  return setCondition(next, { type: "Ready", status: "Unknown", reason: Reasons.Progressing, message }, now);
}

/** markReady records success: Ready=True; Reconciling and Stalled are removed. */
export function markReady(conditions: readonly Condition[], message: string, now: Date): Condition[] {
  const next = removeCondition(removeCondition(conditions, "Reconciling"), "Stalled");
  return setCondition(next, { type: "Ready", status: "True", reason: Reasons.Succeeded, message }, now);
}

/**
 * markFailed records a failure that will be retried: Ready=False with `reason`; Reconciling is removed and Stalled is
 * not set, because the controller has not given up.
 */
export function markFailed(conditions: readonly Condition[], reason: string, message: string, now: Date): Condition[] {
  const next = removeCondition(removeCondition(conditions, "Reconciling"), "Stalled");
  return setCondition(next, { type: "Ready", status: "False", reason, message }, now);
}

/**
 * markStalled records a terminal failure (invalid manifest, refused credentials): Stalled=True and Ready=False with
 * the same reason and message; no retry happens until the input changes.
 */
export function markStalled(conditions: readonly Condition[], reason: string, message: string, now: Date): Condition[] {
  let next = removeCondition(conditions, "Reconciling");
  next = setCondition(next, { type: "Stalled", status: "True", reason, message }, now);
  return setCondition(next, { type: "Ready", status: "False", reason, message }, now);
}

/** conditionSummary names the one state a stack is in, for the `stacks by condition` metric and listings. */
export function conditionSummary(conditions: readonly Condition[]): "Ready" | "Reconciling" | "Stalled" | "Failed" | "Unknown" {
  if (isTrue(conditions, "Stalled")) return "Stalled";
  if (isTrue(conditions, "Reconciling")) return "Reconciling";
  const ready = getCondition(conditions, "Ready")?.status;
  return ready === "True" ? "Ready" : ready === "False" ? "Failed" : "Unknown";
}

function sortConditions(conditions: Condition[]): Condition[] {
  return conditions.sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
}
