/**
 * Until the central scrubber exists, deployment output is scrubbed with the secret values the stacks resolved:
 * every env value and build arg named secret, and registry passwords. Longest first, so a value that contains
 * another is masked whole.
 */
import type { DesiredStack } from "../model.ts";
import { SECRET_MASK } from "../plan/types.ts";

/** secretValuesOf lists the resolved secret values of `stacks` (values shorter than 4 characters are not masked: they would mangle every line). */
export function secretValuesOf(stacks: readonly DesiredStack[]): string[] {
  const values = new Set<string>();
  for (const stack of stacks) {
    for (const app of stack.applications) {
      for (const key of app.secretEnv) values.add(app.spec.env[key] ?? "");
      for (const key of app.secretBuildArgs) values.add(app.spec.buildArgs[key] ?? "");
      if (app.spec.source.kind === "image" && app.spec.source.registry) values.add(app.spec.source.registry.password);
    }
  }
  return [...values].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

/** scrubberOf returns a function replacing every one of `values` in a text by the secret mask. */
export function scrubberOf(values: readonly string[]): (text: string) => string {
  return (text) => values.reduce((out, v) => out.split(v).join(SECRET_MASK), text);
}
