/**
 * What of a stack Coolify v4.3's API cannot express. plan() turns each issue into an error on the stack (file,
 * field, why) instead of a 422 at apply or a lossy approximation.
 */
import type { AppSpec } from "../../model.ts";
import type { CapabilityIssue } from "../../provider.ts";
import { splitImage } from "./mapping.ts";

// ValidationPatterns::NAME_PATTERN (min 3, max 255) and DESCRIPTION_PATTERN (max 255).
const NAME = /^[\p{L}\p{N}\s\-_.\/@&()#,:+]{3,255}$/u;
const DESCRIPTION = /^[\p{L}\p{N}\s\-_.,!?()'"+=*@\/&]*$/u;
// Room left in a 255-character description after the ownership marker (instance and stack names included).
const MAX_DESCRIPTION = 120;

/** coolifyUnsupportedStack checks a stack's project, environment and description against Coolify's rules. */
export function coolifyUnsupportedStack(project: string, environment: string, description?: string | null): CapabilityIssue[] {
  const issues: CapabilityIssue[] = [];
  if (!NAME.test(project)) issues.push({ field: "spec.project", message: "Coolify project names have 3 to 255 characters: letters, digits, spaces and - _ . / @ & ( ) # , : +" });
  if (!NAME.test(environment)) issues.push({ field: "spec.environment", message: "Coolify environment names have 3 to 255 characters: letters, digits, spaces and - _ . / @ & ( ) # , : +" });
  else if (environment !== environment.trim().toLowerCase() || environment.includes("/")) {
    issues.push({ field: "spec.environment", message: "Coolify lower-cases environment names and turns '/' into '-' when it saves them; write the name that way" });
  }
  if (description && (!DESCRIPTION.test(description) || description.length > MAX_DESCRIPTION)) {
    issues.push({ field: "spec.description", message: `Coolify descriptions allow letters, digits, spaces and - _ . , ! ? ( ) ' " + = * @ / & only, and stackctl needs room for its marker: at most ${MAX_DESCRIPTION} characters` });
  }
  return issues;
}

/** coolifyUnsupported lists the fields of `spec` (at manifest path `path`) that Coolify's API cannot express. */
export function coolifyUnsupported(spec: AppSpec, path: string): CapabilityIssue[] {
  const issues: CapabilityIssue[] = [];
  const { source } = spec;
  if (source.kind === "image") {
    if (source.registry) issues.push({ field: `${path}.image.registry`, message: "Coolify's API cannot set registry credentials on an application; log the server in to the registry instead" });
    if (source.image.includes("@") || splitImage(source.image).tag === null) {
      issues.push({ field: `${path}.image`, message: "Coolify stores an image as name and tag (latest when none is given); write the tag explicitly, e.g. nginx:1.27" });
    }
  }
  if (source.kind === "git" && !/^https?:\/\//i.test(source.url)) {
    issues.push({ field: `${path}.git.url`, message: "stackctl creates Coolify applications from public repositories (https:// or http://); an SSH URL needs a deploy key, which it does not manage yet" });
  }
  if (spec.ports.length === 0) issues.push({ field: `${path}.ports`, message: "Coolify needs at least one exposed container port (ports_exposes)" });
  if (spec.replicas !== 1) issues.push({ field: `${path}.replicas`, message: "Coolify runs one container per application on a standalone Docker server; its API has no replica count" });
  issues.push(...volumeIssues(spec, path));
  const h = spec.healthcheck;
  if (h?.type === "command") issues.push({ field: `${path}.healthcheck`, message: "Coolify's API sets HTTP health checks only; use healthcheck.http" });
  if (h && (h.intervalMs % 1000 !== 0 || h.timeoutMs % 1000 !== 0)) issues.push({ field: `${path}.healthcheck`, message: "Coolify keeps health-check timings in whole seconds" });
  for (const key of Object.keys(spec.env)) {
    const build = spec.buildArgs[key];
    if (build !== undefined && build !== spec.env[key]) {
      issues.push({ field: `${path}.buildArgs.${key}`, message: "Coolify keeps one value per variable: a build arg and an env var of the same name must have the same value" });
    }
  }
  for (const field of ["env", "buildArgs"] as const) {
    for (const [key, value] of Object.entries(spec[field])) {
      if (value !== value.trim()) issues.push({ field: `${path}.${field}.${key}`, message: "Coolify trims every value it receives; leading or trailing whitespace would be lost" });
    }
  }
  return issues;
}

// ValidationPatterns::HOST_PATH (persistent storages' host_path).
const HOST_PATH = /^\/([a-zA-Z0-9._\-\/~@+]*)?$/;

/** What of the volumes Coolify's storages cannot hold (see storages.ts). */
function volumeIssues(spec: AppSpec, path: string): CapabilityIssue[] {
  const issues: CapabilityIssue[] = [];
  const names = new Set<string>();
  const mounts = new Set<string>();
  spec.volumes.forEach((v, i) => {
    const at = `${path}.volumes[${i}]`;
    // Coolify stores both, and the deployment then fails in Docker ("duplicate mount point").
    if (mounts.has(v.mountPath)) issues.push({ field: `${at}.mountPath`, message: `another volume of this application is already mounted at ${v.mountPath}; Docker mounts one volume per path` });
    mounts.add(v.mountPath);
    if (v.readOnly) issues.push({ field: `${at}.readOnly`, message: "Coolify's API mounts storages read-write only; remove readOnly" });
    if (v.type === "bind" && !HOST_PATH.test(v.hostPath)) issues.push({ field: `${at}.hostPath`, message: "Coolify accepts host paths of letters, digits and . _ - / ~ @ + only" });
    if (v.type === "volume") {
      // Unique per application in Coolify's database: a second storage of the same name is a 500.
      if (names.has(v.name)) issues.push({ field: `${at}.name`, message: `Coolify keeps one storage per volume name in an application; volume '${v.name}' is already mounted above: mount it once` });
      names.add(v.name);
    }
  });
  return issues;
}
