/**
 * What of a stack Dokploy cannot express. plan() turns each issue into an error on the stack (file, field, why)
 * rather than applying a lossy approximation.
 */
import type { AppSpec } from "../../model.ts";
import type { CapabilityIssue } from "../../provider.ts";
import { dotenvUnrepresentable } from "./dotenv.ts";

// Dokploy's saveGitProvider accepts only branches of this form.
const BRANCH = /^[a-zA-Z0-9._\-/#]+$/;

/** dokployUnsupported lists the fields of `spec` (at manifest path `path`) that Dokploy cannot express. */
export function dokployUnsupported(spec: AppSpec, path: string): CapabilityIssue[] {
  const issues: CapabilityIssue[] = [];
  const { source } = spec;
  if (source.kind === "dockerfile") {
    issues.push({
      field: `${path}.dockerfile`,
      message: "Dokploy applications cannot build an inline Dockerfile (their sources are an image, a Git repository or an uploaded archive); commit the Dockerfile and use git with build.type dockerfile, or use an image",
    });
  }
  if (source.kind === "git" && !BRANCH.test(source.branch)) {
    issues.push({ field: `${path}.git.branch`, message: "Dokploy accepts only branch names of letters, digits and . _ - / #" });
  }
  spec.volumes.forEach((v, i) => {
    if (v.readOnly) issues.push({ field: `${path}.volumes[${i}].readOnly`, message: "Dokploy mounts are always read-write" });
  });
  for (const field of ["env", "buildArgs"] as const) {
    for (const key of dotenvUnrepresentable(spec[field])) {
      issues.push({
        field: `${path}.${field}.${key}`,
        message: "Dokploy stores variables as dotenv text, and no dotenv quoting can carry this value (it combines single quotes and backticks, or a carriage return, with a double quote or a literal \\n)",
      });
    }
  }
  return issues;
}
