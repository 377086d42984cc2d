/**
 * A Stack's own `spec.description` may not carry stackctl's ownership marker syntax (`[managed-by stackctl …]`):
 * stackctl writes the description in front of its marker, and a second, copied marker would make the object look
 * owned by whatever stack the copy names.
 */
import type { ManifestError } from "./errors.ts";
import type { LoadedStack } from "./loaded.ts";

const MARKER_SYNTAX = /\[\s*managed-by\b/i;

/** markerInDescription reports each stack whose description holds the marker syntax. */
export function markerInDescription(stacks: readonly LoadedStack[]): ManifestError[] {
  const errors: ManifestError[] = [];
  for (const s of stacks) {
    const description = s.stack.spec.description;
    if (description === undefined || !MARKER_SYNTAX.test(description)) continue;
    const path = ["spec", "description"];
    errors.push({
      code: "rules.marker-in-description",
      file: s.file,
      ...s.locate(path),
      path: "spec.description",
      message: "the description holds stackctl's ownership marker syntax ([managed-by …]); stackctl adds the marker itself: remove it from the description",
      subject: `stack/${s.stack.metadata.name}`,
    });
  }
  return errors;
}
