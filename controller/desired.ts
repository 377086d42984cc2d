/**
 * From validated manifests to the desired side of plan(): units normalised, secrets resolved, the target chosen.
 * A stack that cannot be made desired (a missing secret, an unknown target) yields errors and no DesiredStack, and
 * its name is reported as failed so that nothing of it is ever torn down.
 */
import type { EnvValue, Healthcheck, Volume } from "../specs/model.ts";
import type { NormalizedApplication, NormalizedStack } from "../specs/normalize.ts";
import type { StackError } from "./errors.ts";
import { subjectOf } from "./errors.ts";
import type { AppSpec, AppSource, DesiredApplication, DesiredStack, HealthcheckSpec, VolumeSpec } from "./model.ts";
import { policyErrors } from "./policy.ts";
import type { PolicyConfig } from "../specs/config.ts";
import type { SecretResolver } from "./secrets.ts";
import { unescapeDollars } from "../specs/text-safety.ts";
import { cpuToCores, durationToMs, memoryToBytes } from "./units.ts";

/** The annotation that lets a stack take over unmarked objects of the same name. */
export const ADOPT_ANNOTATION = "stackctl.dev/adopt";
/** The annotation whose value `orphan` keeps a stack's resources when its manifest goes away. */
export const DELETION_POLICY_ANNOTATION = "stackctl.dev/deletion-policy";

/** The annotation whose value `"true"` lets a stack's manifest declare no applications while it owns some. */
export const ALLOW_EMPTY_ANNOTATION = "stackctl.dev/allow-empty";

/** A validated stack and the file it came from. */
export interface SourcedStack {
  file: string;
  stack: NormalizedStack;
}

/** How to turn sourced stacks into desired ones. */
export interface DesiredOptions {
  /** Target names known to the controller; a stack without `spec.target` goes to the only one. */
  targets: readonly string[];
  resolveSecret: SecretResolver;
  /** Tells where a secret was looked for, for the error message. */
  describeSecret: (name: string) => string;
  /** The operator's limits (ControllerConfig `policy`); a stack that breaks one fails, see controller/policy.ts. */
  policy?: PolicyConfig;
}

/** The result: desired stacks, errors, and the names of stacks that must be left untouched. */
export interface DesiredResult {
  stacks: DesiredStack[];
  errors: StackError[];
  failedStacks: { name: string; target: string | null }[];
}

/** buildDesired converts every stack, collecting all errors rather than stopping at the first. */
export function buildDesired(sourced: readonly SourcedStack[], options: DesiredOptions): DesiredResult {
  const result: DesiredResult = { stacks: [], errors: [], failedStacks: [] };
  for (const { file, stack } of sourced) {
    const errors: StackError[] = [];
    const target = chooseTarget(stack, options.targets, file, errors);
    const applications = stack.spec.applications.map((app, i) => desiredApplication(stack, app, i, file, options, errors));
    errors.push(...policyErrors(stack, file, options.policy));
    if (errors.length > 0 || target === null) {
      result.errors.push(...errors);
      result.failedStacks.push({ name: stack.metadata.name, target });
      continue;
    }
    result.stacks.push({
      name: stack.metadata.name,
      file,
      target,
      project: stack.spec.project,
      environment: stack.spec.environment,
      description: stack.spec.description ?? null,
      prune: stack.spec.prune,
      adopt: stack.metadata.annotations[ADOPT_ANNOTATION] === "true",
      orphanOnDelete: stack.metadata.annotations[DELETION_POLICY_ANNOTATION] === "orphan",
      allowEmpty: stack.metadata.annotations[ALLOW_EMPTY_ANNOTATION] === "true",
      applications,
    });
  }
  return result;
}

function chooseTarget(stack: NormalizedStack, targets: readonly string[], file: string, errors: StackError[]): string | null {
  const subject = subjectOf(stack.metadata.name);
  const wanted = stack.spec.target;
  if (wanted !== undefined) {
    if (targets.includes(wanted)) return wanted;
    errors.push({ code: "config.unknown-target", subject, file, field: "spec.target", message: `target '${wanted}' is not configured (known: ${targets.join(", ") || "none"})` });
    return null;
  }
  if (targets.length === 1) return targets[0]!;
  const message = targets.length === 0 ? "no target is configured" : `spec.target is required when several targets are configured (${targets.join(", ")})`;
  errors.push({ code: "config.target-required", subject, file, field: "spec.target", message });
  return null;
}

interface AppContext {
  subject: string;
  file: string;
  path: string;
  options: DesiredOptions;
  errors: StackError[];
}

function desiredApplication(stack: NormalizedStack, app: NormalizedApplication, index: number, file: string, options: DesiredOptions, errors: StackError[]): DesiredApplication {
  const ctx: AppContext = { subject: subjectOf(stack.metadata.name, ["app", app.name]), file, path: `spec.applications[${index}]`, options, errors };
  const spec: AppSpec = {
    source: desiredSource(app, ctx),
    command: app.command ?? null,
    env: resolveValues(app.env, `${ctx.path}.env`, ctx),
    buildArgs: resolveValues(app.buildArgs, `${ctx.path}.buildArgs`, ctx),
    ports: [...app.ports],
    replicas: app.replicas,
    cpu: app.resources?.cpu === undefined ? null : cpuToCores(app.resources.cpu),
    memoryBytes: app.resources?.memory === undefined ? null : memoryToBytes(app.resources.memory),
    volumes: app.volumes.map(desiredVolume),
    healthcheck: app.healthcheck ? desiredHealthcheck(app.healthcheck, app, ctx) : null,
    state: app.state,
  };
  return {
    name: app.name,
    spec,
    domains: app.domains.map((d) => ({ host: d.host, path: d.path, port: d.port, https: d.https })),
    secretEnv: secretKeys(app.env),
    secretBuildArgs: secretKeys(app.buildArgs),
  };
}

function desiredSource(app: NormalizedApplication, ctx: AppContext): AppSource {
  if (app.git) {
    const build = app.git.build;
    return {
      kind: "git",
      url: app.git.url,
      branch: app.git.branch,
      path: app.git.path,
      build: { type: build.type, dockerfile: build.type === "dockerfile" ? (build.dockerfile ?? "Dockerfile") : null },
    };
  }
  if (app.dockerfile !== undefined) return { kind: "dockerfile", dockerfile: app.dockerfile };
  const registry = app.registry
    ? { url: app.registry.url, username: app.registry.username, password: resolveSecret(app.registry.password.secret, `${ctx.path}.registry.password`, ctx) }
    : null;
  return { kind: "image", image: app.image ?? "", registry };
}

function resolveValues(values: Record<string, EnvValue>, path: string, ctx: AppContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(values).sort()) {
    const value = values[key]!;
    out[key] = typeof value === "object" ? resolveSecret(value.secret, `${path}.${key}`, ctx) : typeof value === "string" ? unescapeDollars(value) : String(value);
  }
  return out;
}

function resolveSecret(name: string, field: string, ctx: AppContext): string {
  const value = ctx.options.resolveSecret(name);
  if (value === undefined) {
    ctx.errors.push({
      code: "secret.missing",
      subject: ctx.subject,
      file: ctx.file,
      field,
      message: `secret ${name} is not set (looked for ${ctx.options.describeSecret(name)}); nothing of this stack is applied`,
    });
    return "";
  }
  return value;
}

function secretKeys(values: Record<string, EnvValue>): string[] {
  return Object.keys(values).filter((k) => typeof values[k] === "object").sort();
}

function desiredVolume(v: Volume): VolumeSpec {
  return "name" in v
    ? { type: "volume", name: v.name, mountPath: v.mountPath, readOnly: v.readOnly }
    : { type: "bind", hostPath: v.hostPath, mountPath: v.mountPath, readOnly: v.readOnly };
}

function desiredHealthcheck(h: Healthcheck, app: NormalizedApplication, ctx: AppContext): HealthcheckSpec | null {
  const timing = { intervalMs: durationToMs(h.interval), timeoutMs: durationToMs(h.timeout), retries: h.retries };
  if ("command" in h) return { type: "command", command: [...h.command], ...timing };
  const port = h.port ?? app.ports[0];
  if (port === undefined) {
    ctx.errors.push({ code: "spec.healthcheck-port", subject: ctx.subject, file: ctx.file, field: `${ctx.path}.healthcheck.port`, message: "an HTTP health check needs a port: set healthcheck.port or ports" });
    return null;
  }
  return { type: "http", path: h.path, port, ...timing };
}
