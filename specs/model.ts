/**
 * The `Stack` manifest, `apiVersion: stackctl.dev/v1alpha1`: the zod model is the single source of truth.
 *
 * `StackManifest` is what a user writes (defaults optional); `Stack` is what zod returns after defaults are
 * filled in. Defaults that depend on other fields (the project name, a domain's port) are filled later by
 * `normalizeStack` in `normalize.ts`, which yields a `NormalizedStack`. `schemas/stack.v1alpha1.json` is
 * generated from `StackSchema` by `scripts/generate-schemas.ts`.
 */
import { z } from "zod";

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

/** True when `key` is a Kubernetes-style label or annotation key: `[prefix/]name`. */
export function isQualifiedKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return LABEL_NAME.test(name);
}

const rfc1123 = (what: string) =>
  z.string().regex(RFC1123_LABEL, {
    message: `${what} must be an RFC 1123 label: lowercase letters, digits and '-', at most 63 characters`,
  });

const qualifiedKey = z.string().refine(isQualifiedKey, {
  message: "keys must be Kubernetes label keys: [prefix/]name, name at most 63 characters of [A-Za-z0-9-_.]",
});

/** `{ secret: NAME }`: a value resolved by the controller at apply time, never stored in Git. */
export const SecretRefSchema = z
  .strictObject({
    secret: z.string().regex(ENV_NAME, { message: "a secret name must match [A-Za-z_][A-Za-z0-9_]*" }),
  })
  .describe("A reference to a secret resolved by the controller at apply time");

/** An env var or build argument value: a literal, or a secret reference. */
export const EnvValueSchema = z.union([z.string(), z.number(), z.boolean(), SecretRefSchema]);

const envMap = z.record(
  z.string().regex(ENV_NAME, { message: "variable names must match [A-Za-z_][A-Za-z0-9_]*" }),
  EnvValueSchema,
);

const port = z.int().min(1).max(65535);

/** Where an application's code comes from when it is built from Git. */
export const GitSourceSchema = z.strictObject({
  url: z.string().regex(GIT_URL, { message: "expected an https://, http://, ssh:// or git@ repository URL" }),
  branch: z.string().min(1).default("main"),
  path: z.string().regex(ABSOLUTE_PATH, { message: "expected an absolute path inside the repository" }).default("/"),
  build: z
    .strictObject({
      type: z.enum(["dockerfile", "nixpacks", "railpack", "static"]).default("dockerfile"),
      dockerfile: z.string().min(1).optional().describe("Path of the Dockerfile, for type dockerfile (default Dockerfile)"),
    })
    .default({ type: "dockerfile" }),
});

/** A route from a host (and path) to one of the application's ports. */
export const DomainSchema = z.strictObject({
  host: z.string().max(253).regex(HOSTNAME, { message: "expected a lowercase hostname such as app.example.com" }),
  port: port.optional().describe("Default: the first of the application's ports"),
  path: z.string().regex(/^\//, { message: "a path must start with /" }).default("/"),
  https: z.boolean().default(true),
});

const mountPath = z.string().regex(ABSOLUTE_PATH, { message: "expected an absolute path" });

/** A named volume or a bind mount. */
export const VolumeSchema = z.union([
  z.strictObject({
    name: z.string().regex(VOLUME_NAME, { message: "expected a volume name of [A-Za-z0-9_.-]" }),
    mountPath,
    readOnly: z.boolean().default(false),
  }),
  z.strictObject({
    hostPath: z.string().regex(ABSOLUTE_PATH, { message: "expected an absolute host path" }),
    mountPath,
    readOnly: z.boolean().default(false),
  }),
]);

const duration = z.string().regex(DURATION, { message: "expected a duration such as 30s, 5m or 1m30s" });
const healthTiming = {
  interval: duration.default("30s"),
  timeout: duration.default("5s"),
  retries: z.int().min(1).max(100).default(3),
};

/** An HTTP or command health check. */
export const HealthcheckSchema = z.union([
  z.strictObject({ path: z.string().regex(/^\//, { message: "a path must start with /" }), port: port.optional(), ...healthTiming }),
  z.strictObject({ command: z.array(z.string().min(1)).min(1), ...healthTiming }),
]);

/** One application of a stack. Exactly one of `image`, `git` and `dockerfile` says where it comes from. */
export const ApplicationSchema = z
  .strictObject({
    name: rfc1123("an application name"),
    image: z.string().min(1).regex(/^[^\s]+$/, { message: "an image reference has no spaces" }).optional(),
    git: GitSourceSchema.optional(),
    dockerfile: z.string().min(1).optional().describe("An inline Dockerfile, built on the server"),
    registry: z
      .strictObject({ url: z.string().min(1), username: z.string().min(1), password: SecretRefSchema })
      .optional(),
    command: z.string().min(1).optional(),
    env: envMap.default({}),
    buildArgs: envMap.default({}),
    ports: z.array(port).default([]),
    domains: z.array(DomainSchema).default([]),
    volumes: z.array(VolumeSchema).default([]),
    replicas: z.int().min(0).max(1000).default(1),
    resources: z
      .strictObject({
        cpu: z.union([z.string().regex(CPU, { message: "expected cores such as 0.5, 2 or 500m" }), z.number().positive()]).optional(),
        memory: z.string().regex(MEMORY, { message: "expected a size such as 512Mi or 1Gi" }).optional(),
      })
      .optional(),
    healthcheck: HealthcheckSchema.optional(),
    state: z.enum(["running", "stopped"]).default("running"),
  })
  .refine((app) => [app.image, app.git, app.dockerfile].filter((s) => s !== undefined).length === 1, {
    message: "exactly one source is required: image, git or dockerfile",
  });

/** The whole Stack document. */
export const StackSchema = z
  .strictObject({
    apiVersion: z.literal(STACK_API_VERSION),
    kind: z.literal(STACK_KIND),
    metadata: z.strictObject({
      name: rfc1123("metadata.name"),
      labels: z.record(qualifiedKey, z.string().regex(LABEL_VALUE, { message: "label values are at most 63 characters of [A-Za-z0-9-_.]" })).default({}),
      annotations: z.record(qualifiedKey, z.string()).default({}),
    }),
    spec: z.strictObject({
      target: rfc1123("spec.target").optional(),
      project: z.string().min(1).max(100).regex(/^[^\0-\x1f]+$/, { message: "no control characters" }).optional(),
      environment: z.string().min(1).max(100).regex(/^[^\0-\x1f]+$/, { message: "no control characters" }).default("production"),
      description: z.string().max(1000).optional(),
      suspend: z.boolean().default(false),
      prune: z.boolean().default(true),
      dependsOn: z.array(rfc1123("a dependsOn entry")).default([]),
      applications: z.array(ApplicationSchema).default([]),
    }),
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
