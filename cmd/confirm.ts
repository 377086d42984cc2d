/**
 * The question apply asks on a terminal before a plan that deletes anything, in Terraform's words (a convention
 * users know): only `yes` goes on. Without a terminal (CI, pipes) nothing is asked and nothing changes.
 */
import type { Plan } from "../controller/plan/types.ts";
import { deletionsOf } from "../controller/render/document.ts";
import type { CliIO } from "./io.ts";

/** The prompt, verbatim. */
export const CONFIRM_QUESTION = "Apply these changes? Only 'yes' will be accepted";

/**
 * confirmDeletions asks when `plans` delete something and `io` can ask (stdin and stdout are terminals). True to go
 * on: nothing deleted, no terminal, or the answer `yes`. Any other answer, or end of input, cancels.
 */
export async function confirmDeletions(plans: readonly Plan[], io: CliIO): Promise<boolean> {
  const deletions = plans.filter((p) => !p.refused).flatMap(deletionsOf);
  if (deletions.length === 0 || io.ask === undefined) return true;
  // Listed again here: with --quiet the plan itself was not printed.
  io.stdout(`\nThis plan deletes ${deletions.length} object(s):\n${deletions.map((c) => `  - ${c.kind} ${c.subject}\n`).join("")}`);
  const answer = await io.ask(`${CONFIRM_QUESTION}: `);
  if (answer?.trim() === "yes") return true;
  io.stderr(answer === null ? "\nApply cancelled: no answer (end of input).\n" : "Apply cancelled.\n");
  return false;
}
