/**
 * The mass-deletion guard: a plan that would tear down more than half of the stacks this instance manages (or
 * all of them) is refused unless the user allows it. A wrong source path or an emptied branch then shows up as a
 * refused plan instead of an empty server.
 */
import type { ObservedIndex } from "./observed.ts";
import type { Plan } from "./types.ts";

/** guardMassDeletion returns the plan, marked refused with an error when it deletes too much. */
export function guardMassDeletion(plan: Plan, observed: ObservedIndex, allow: boolean): Plan {
  const managed = observed.managedStacks.size;
  const tornDown = plan.stacks.filter((s) => s.mode === "teardown" && s.changes.length > 0).map((s) => s.stack);
  if (allow || managed === 0 || tornDown.length === 0) return plan;
  if (tornDown.length * 2 <= managed && tornDown.length < managed) return plan;
  const message = `refusing to tear down ${tornDown.length} of ${managed} managed stacks (${tornDown.join(", ")}): more than half; check the source, or pass --allow-mass-deletion`;
  return { ...plan, refused: true, errors: [...plan.errors, { code: "plan.mass-deletion", subject: `target/${plan.target}`, message }] };
}
