/**
 * The `Stack` manifest, `apiVersion: stackctl.dev/v1alpha1`: the zod model is the single source of truth.
 *
 * `StackManifest` is what a user writes (defaults optional); `Stack` is what zod returns after defaults are
 * filled in. Defaults that depend on other fields (the project name, a domain's port) are filled later by
 * `normalizeStack` in `normalize.ts`, which yields a `NormalizedStack`. `schemas/stack.v1alpha1.json` is
 * generated from `StackSchema` by `scripts/generate-schemas.ts`.
 */
import { z } from "zod";
import { checkEnvLiteral, checkSafeText } from "./text-safety.ts";

/** The API group every stackctl document belongs to. */
export const API_GROUP = "stackctl.dev";
/** The one supported version of the Stack kind. */
export const STACK_API_VERSION = `${API_GROUP}/v1alpha1`;
/** The kind of a Stack document. */
export const STACK_KIND = "Stack";

/** RFC 1123 label: lowercase alphanumerics and '-', starting and ending with an alphanumeric, at most 63 chars. */
export const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A POSIX-ish environment variable name, as used for env keys and secret names. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const HOSTNAME = /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DURATION = /^([0-9]+(ms|s|m|h))+$/;
const CPU = /^([0-9]+(\.[0-9]+)?|[0-9]+m)$/;
const MEMORY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
const ABSOLUTE_PATH = /^\/[^\0]*$/;
const GIT_URL = /^(https?:\/\/|ssh:\/\/|git@)[^\s]+$/;
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * A Kubernetes-style label or annotation key: `[prefix/]name`, the prefix a DNS subdomain of at most 253
 * characters. A regex rather than a refinement so that the generated JSON Schema carries the same rule; the
 * leading lookahead bounds the length before any backtracking can start.
 */
export const QUALIFIED_KEY = new RegExp(
  "^(?=.{1,317}$)(?:(?=[^/]{1,253}/)" +
    DNS_SUBDOMAIN.source.slice(1, -1) +
    "/)?" +
    LABEL_NAME.source.slice(1, -1) +
    "$",
);

/** True when `key` is a Kubernetes-style label or annotation key: `[prefix/]name`. */
export function isQualifiedKey(key: string): boolean {
  return QUALIFIED_KEY.test(key);
}

const rfc1123 = (what: string) =>
  z.string().regex(RFC1123_LABEL, {
    message: `${what} must be an RFC 1123 label: lowercase letters, digits and '-', at most 63 characters`,
  });

const qualifiedKey = z.string().regex(QUALIFIED_KEY, {
  message: "keys must be Kubernetes label keys: [prefix/]name, name at most 63 characters of [A-Za-z0-9-_.]",
});

/** `{ secret: NAME }`: a value resolved by the controller at apply time, never stored in Git. */
export const SecretRefSchema = z
  .strictObject({
    secret: z
      .string()
      .regex(ENV_NAME, { message: "a secret name must match [A-Za-z_][A-Za-z0-9_]*" })
      .describe("Name of the secret in the controller's secret store"),
  })
  .describe("A reference to a secret resolved by the controller at apply time");

/** An env var or build argument value: a literal, or a secret reference. */
export const EnvValueSchema = z
  .union([z.string().superRefine(checkEnvLiteral), z.number(), z.boolean(), SecretRefSchema])
  .describe("A literal value ($$ for a literal $; ${NAME} is not interpolated), or { secret: NAME } for a secret resolved at apply time");

const envMap = (what: string) =>
  z
    .record(z.string().regex(ENV_NAME, { message: "variable names must match [A-Za-z_][A-Za-z0-9_]*" }), EnvValueSchema)
    .default({})
    .describe(what);

const port = z.int().min(1).max(65535);

/** Where an application's code comes from when it is built from Git. */
export const GitSourceSchema = z
  .strictObject({
    url: z
      .string()
      .regex(GIT_URL, { message: "expected an https://, http://, ssh:// or git@ repository URL" })
      .describe("Repository URL: https://, http://, ssh:// or git@"),
    branch: z.string().min(1).default("main").describe("Branch to build"),
    path: z
      .string()
      .regex(ABSOLUTE_PATH, { message: "expected an absolute path inside the repository" })
      .default("/")
      .describe("Build context inside the repository, an absolute path"),
    build: z
      .strictObject({
        type: z.enum(["dockerfile", "nixpacks", "railpack", "static"]).default("dockerfile").describe("Build method"),
        dockerfile: z.string().min(1).optional().describe("Path of the Dockerfile, for type dockerfile (default Dockerfile)"),
      })
      .default({ type: "dockerfile" })
      .describe("How the repository is built"),
  })
  .describe("Build the application from a Git repository");

/** A route from a host (and path) to one of the application's ports. */
export const DomainSchema = z
  .strictObject({
    host: z
      .string()
      .max(253)
      .regex(HOSTNAME, { message: "expected a lowercase hostname such as app.example.com" })
      .describe("Hostname, lowercase; *.example.com for a wildcard"),
    port: port.optional().describe("Container port to route to. Default: the first of the application's ports"),
    path: z.string().regex(/^\//, { message: "a path must start with /" }).default("/").describe("Path prefix"),
    https: z.boolean().default(true).describe("Serve over HTTPS with an automatic certificate"),
  })
  .describe("A route from host and path to a port of the application");

const mountPath = z.string().regex(ABSOLUTE_PATH, { message: "expected an absolute path" }).describe("Path inside the container");
const readOnly = z.boolean().default(false).describe("Mount read-only");

/** A named volume or a bind mount. */
export const VolumeSchema = z
  .union([
    z.strictObject({
      name: z.string().regex(VOLUME_NAME, { message: "expected a volume name of [A-Za-z0-9_.-]" }).describe("Named volume"),
      mountPath,
      readOnly,
    }),
    z.strictObject({
      hostPath: z.string().regex(ABSOLUTE_PATH, { message: "expected an absolute host path" }).describe("Directory on the server"),
      mountPath,
      readOnly,
    }),
  ])
  .describe("A named volume ({ name, mountPath }) or a bind mount ({ hostPath, mountPath })");

const duration = z.string().regex(DURATION, { message: "expected a duration such as 30s, 5m or 1m30s" });
const healthTiming = {
  interval: duration.default("30s").describe("Time between checks"),
  timeout: duration.default("5s").describe("Time before a check counts as failed"),
  retries: z.int().min(1).max(100).default(3).describe("Failures before the application is unhealthy"),
};

/** An HTTP or command health check. */
export const HealthcheckSchema = z
  .union([
    z.strictObject({
      path: z.string().regex(/^\//, { message: "a path must start with /" }).describe("HTTP path to GET"),
      port: port.optional().describe("Port to probe. Default: the first of the application's ports"),
      ...healthTiming,
    }),
    z.strictObject({
      command: z.array(z.string().min(1)).min(1).describe("Command run in the container; exit 0 is healthy"),
      ...healthTiming,
    }),
  ])
  .describe("An HTTP check ({ path }) or a command check ({ command })");

/** The sources of an application: exactly one must be set. */
export const APPLICATION_SOURCES = ["image", "git", "dockerfile"] as const;

/** One application of a stack. Exactly one of `image`, `git` and `dockerfile` says where it comes from. */
export const ApplicationSchema = z
  .strictObject({
    name: rfc1123("an application name").describe("Name, unique in the stack (RFC 1123 label)"),
    image: z
      .string()
      .min(1)
      .regex(/^[^\s]+$/, { message: "an image reference has no spaces" })
      .optional()
      .describe("Container image to run, e.g. ghcr.io/acme/web:1.4"),
    git: GitSourceSchema.optional(),
    dockerfile: z.string().min(1).optional().describe("An inline Dockerfile, built on the server"),
    registry: z
      .strictObject({
        url: z.string().min(1).describe("Registry host, e.g. ghcr.io"),
        username: z.string().min(1).describe("Registry user"),
        password: SecretRefSchema,
      })
      .optional()
      .describe("Credentials for a private image registry"),
    command: z.string().min(1).optional().describe("Overrides the image's command"),
    env: envMap("Environment variables"),
    buildArgs: envMap("Build arguments, for git and dockerfile sources"),
    ports: z.array(port).default([]).describe("Container ports the application listens on"),
    domains: z.array(DomainSchema).default([]).describe("Public routes to the application"),
    volumes: z.array(VolumeSchema).default([]).describe("Persistent volumes and bind mounts"),
    replicas: z.int().min(0).max(1000).default(1).describe("Number of containers"),
    resources: z
      .strictObject({
        cpu: z
          .union([z.string().regex(CPU, { message: "expected cores such as 0.5, 2 or 500m" }), z.number().positive()])
          .optional()
          .describe("CPU limit in cores: 0.5, 2 or 500m"),
        memory: z
          .string()
          .regex(MEMORY, { message: "expected a size such as 512Mi or 1Gi" })
          .optional()
          .describe("Memory limit: 512Mi, 1Gi"),
      })
      .optional()
      .describe("Resource limits"),
    healthcheck: HealthcheckSchema.optional(),
    state: z.enum(["running", "stopped"]).default("running").describe("Whether the application should run"),
  })
  .refine((app) => APPLICATION_SOURCES.filter((s) => app[s] !== undefined).length === 1, {
    message: "exactly one source is required: image, git or dockerfile",
  })
  .describe("An application: exactly one of image, git or dockerfile");

const freeText = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\0-\x1f]+$/, { message: "no control characters" })
  .superRefine(checkSafeText);

/** The whole Stack document. */
export const StackSchema = z
  .strictObject({
    apiVersion: z.literal(STACK_API_VERSION).describe(`Always ${STACK_API_VERSION}`),
    kind: z.literal(STACK_KIND).describe(`Always ${STACK_KIND}`),
    metadata: z.strictObject({
      name: rfc1123("metadata.name").describe("Name of the stack, unique per target (RFC 1123 label)"),
      labels: z
        .record(
          qualifiedKey,
          z.string().regex(LABEL_VALUE, { message: "label values are at most 63 characters of [A-Za-z0-9-_.]" }),
        )
        .default({})
        .describe("Kubernetes-style labels"),
      annotations: z.record(qualifiedKey, z.string()).default({}).describe("Free-form annotations"),
    }).describe("Identity of the stack"),
    spec: z.strictObject({
      target: rfc1123("spec.target").optional().describe("Name of the server to deploy to. Default: the default target"),
      project: freeText.optional().describe("Project on the server. Default: metadata.name"),
      environment: freeText.default("production").describe("Environment of the project"),
      description: z.string().max(1000).superRefine(checkSafeText).optional().describe("Shown in the platform's UI"),
      suspend: z.boolean().default(false).describe("When true, the controller leaves the stack alone"),
      prune: z.boolean().default(true).describe("Delete applications that were removed from the manifest"),
      dependsOn: z.array(rfc1123("a dependsOn entry")).default([]).describe("Stacks of the same target applied first"),
      applications: z.array(ApplicationSchema).default([]).describe("The applications of the stack"),
    }).describe("What the stack deploys, and where"),
  })
  .describe("A stackctl Stack: one project environment with its applications on a Dokploy or Coolify server");

/** A Stack as written by a user: fields with defaults are optional. */
export type StackManifest = z.input<typeof StackSchema>;
/** A Stack after zod filled in its static defaults. */
export type Stack = z.output<typeof StackSchema>;
/** One application after static defaults. */
export type Application = z.output<typeof ApplicationSchema>;
/** A domain after static defaults (its port may still be unset). */
export type Domain = z.output<typeof DomainSchema>;
/** A volume after defaults. */
export type Volume = z.output<typeof VolumeSchema>;
/** A health check after defaults. */
export type Healthcheck = z.output<typeof HealthcheckSchema>;
/** An env var or build argument value. */
export type EnvValue = z.output<typeof EnvValueSchema>;
/** A secret reference. */
export type SecretRef = z.output<typeof SecretRefSchema>;
