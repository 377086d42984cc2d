/**
 * The controller's configuration, `kind: ControllerConfig` (usually `stackctl.yaml`): the targets stackctl may
 * write to and how to authenticate — credentials only by reference, never inline.
 * `schemas/controller-config.v1alpha1.json` is generated from `ControllerConfigSchema`.
 */
import { z } from "zod";
import { ENV_NAME, RFC1123_LABEL, STACK_API_VERSION } from "./model.ts";

/** The kind of a controller configuration document. */
export const CONFIG_KIND = "ControllerConfig";

/** A credential given by reference: an environment variable or a file (e.g. a Docker secret). */
export const CredentialRefSchema = z.union([
  z.strictObject({ fromEnv: z.string().regex(ENV_NAME, { message: "expected an environment variable name" }) }),
  z.strictObject({ fromFile: z.string().regex(/^\//, { message: "expected an absolute path" }) }),
]);

const duration = z.string().regex(/^([0-9]+(ms|s|m|h))+$/, { message: "expected a duration such as 30s or 1m" });

const common = {
  name: z.string().regex(RFC1123_LABEL, { message: "a target name must be an RFC 1123 label" }),
  url: z.url({ protocol: /^https?$/, message: "expected an http:// or https:// URL" }),
  timeout: duration.default("30s").describe("Timeout of each HTTP request"),
  requestsPerSecond: z.number().positive().max(1000).optional().describe("Client-side rate limit for this target"),
  concurrency: concurrency(8),
};

/** The in-flight bound, whose default differs by provider. */
function concurrency(fallback: number) {
  return z.int().min(1).max(64).default(fallback).describe("Requests in flight at once against this target");
}

/** A Dokploy server. */
export const DokployTargetSchema = z.strictObject({
  ...common,
  provider: z.literal("dokploy"),
  apiKey: CredentialRefSchema.describe("The API key, by reference (create it with rate limiting off)"),
});

/**
 * A Coolify v4 instance and the server applications go to. Coolify throttles its API per user, 200 requests per
 * minute unless `API_RATE_LIMIT` says otherwise; the client stays under it by default (see README, Coolify).
 */
export const CoolifyTargetSchema = z.strictObject({
  ...common,
  // Coolify answers slowly under load and counts every request against its limit: fewer in flight by default.
  concurrency: concurrency(4),
  provider: z.literal("coolify"),
  token: CredentialRefSchema.describe("The API token (`<id>|<secret>`), by reference: abilities read, write and deploy; read:sensitive for full drift detection of env values"),
  server: z.string().min(1).max(255).default("localhost").describe("The server applications are created on, by name or uuid (Coolify's own server is called localhost)"),
  destination: z.string().min(1).max(255).optional().describe("The destination (Docker network) on that server, by name or uuid; needed when the server has several"),
  requestsPerMinute: z.number().positive().max(100_000).default(180).describe("Client-side rate limit; keep it at least 10 under the server's API_RATE_LIMIT (default 200)"),
  fingerprintKey: CredentialRefSchema.optional().describe("Key of the env value fingerprints kept in variable comments, by reference; without it a reader of the comments can test guesses of a value"),
});

const absolutePath = z.string().regex(/^\//, { message: "expected an absolute path" });

/** How the controller authenticates to a Git remote: an HTTPS token, or an SSH private key file. */
export const GitAuthSchema = z.union([
  z.strictObject({
    token: CredentialRefSchema.describe("An HTTPS access token, by reference"),
    username: z.string().min(1).optional().describe("Basic-auth user name sent with the token; default x-access-token"),
  }),
  z.strictObject({ sshKey: z.strictObject({ fromFile: absolutePath }).describe("An SSH private key file (a deploy key)") }),
]);

/** Where `stackctl run` reads the manifests from: a Git branch, or a local directory. */
export const SourceSchema = z.union([
  z.strictObject({
    git: z.strictObject({
      url: z.string().min(1).describe("The repository, https://… or an SSH address"),
      branch: z.string().min(1).default("main"),
      path: z.string().min(1).default(".").describe("The manifests' directory inside the repository"),
      interval: duration.default("1m").describe("How often the branch is fetched (jittered); webhooks fetch at once"),
      auth: GitAuthSchema.optional(),
    }),
  }),
  z.strictObject({
    directory: z.strictObject({
      path: z.string().min(1).describe("A directory of manifests, watched for changes"),
      interval: duration.default("1m").describe("How often it is re-read even without a change event"),
    }),
  }),
]);

/** Where the controller reports commit statuses: GitHub or GitHub Enterprise (see README, Commit statuses). */
export const GitHubSettingsSchema = z.strictObject({
  repository: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: "expected OWNER/NAME" })
    .optional()
    .describe("The repository of the manifests; default: read from a github.com (or apiUrl host) source URL"),
  token: CredentialRefSchema.optional().describe("A token allowed to write commit statuses (`repo:status`, or `statuses: write`), by reference; without it no status is posted"),
  apiUrl: z.url({ protocol: /^https?$/, message: "expected an http:// or https:// URL" }).default("https://api.github.com").describe("The REST API root; for GitHub Enterprise Server https://HOST/api/v3"),
});

/** The controller process: its HTTP port, data directory, pacing and webhooks. */
export const ControllerSettingsSchema = z.strictObject({
  listen: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):[0-9]{1,5}$/, { message: "expected HOST:PORT, e.g. 0.0.0.0:8080" })
    .default("0.0.0.0:8080")
    .describe("Address of the health, metrics, status and webhook server"),
  dataDir: z.string().min(1).default(".stackctl").describe("Holds the Git checkout and status/ (one status record per stack)"),
  driftInterval: duration.default("10m").describe("Every stack is re-checked against the server this often, spread over the interval"),
  workers: z.int().min(1).max(64).default(4).describe("Stacks reconciled at once"),
  shutdownTimeout: duration.default("30s").describe("On SIGTERM, how long work in flight may take to finish"),
  webhooks: z
    .strictObject({
      github: z.strictObject({ secret: CredentialRefSchema.describe("The webhook secret set on GitHub") }).optional(),
      generic: z.strictObject({ token: CredentialRefSchema.describe("The bearer token callers send") }).optional(),
    })
    .prefault({}),
  publicUrl: z.url({ protocol: /^https?$/, message: "expected an http:// or https:// URL" }).optional().describe("Where people reach this controller's HTTP server; commit statuses link to its status API"),
  github: GitHubSettingsSchema.optional().describe("Commit statuses on the applied revisions of a GitHub repository"),
  api: z
    .strictObject({ token: CredentialRefSchema.describe("The bearer token `stackctl reconcile/suspend/resume` send (STACKCTL_API_TOKEN)") })
    .optional()
    .describe("The management API (reconcile, suspend, resume); without a token its endpoints answer 404"),
});

/**
 * What an operator forbids manifests to ask for. `hostPaths.allow` lists glob patterns (`/srv/**`, `/data/*`) a bind
 * mount's hostPath must match; without it every hostPath is allowed, `/` included.
 */
export const PolicySchema = z.strictObject({
  hostPaths: z
    .strictObject({
      allow: z
        .array(z.string().regex(/^\/[^\0]*$/, { message: "expected an absolute path pattern such as /srv/**" }))
        .describe("Patterns a hostPath must match (`*` one path segment, `**` any depth); an empty list forbids bind mounts"),
    })
    .optional(),
});

/** The whole configuration document. */
export const ControllerConfigSchema = z.strictObject({
  apiVersion: z.literal(STACK_API_VERSION),
  kind: z.literal(CONFIG_KIND),
  instance: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,63}$/, { message: "an instance name is 1-63 characters of [A-Za-z0-9_.-]" })
    .default("default")
    .describe("Names this controller in ownership markers, so two controllers can share a server"),
  secretsDir: z.string().regex(/^\//, { message: "expected an absolute path" }).default("/run/secrets"),
  secretsEnvPrefix: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "expected the start of an environment variable name, e.g. APP_" })
    .optional()
    .describe("When set, `{ secret: NAME }` is looked up in the environment only for names starting with this prefix (files in secretsDir still resolve)"),
  policy: PolicySchema.prefault({}).describe("Limits on what manifests may ask for, enforced when planning"),
  targets: z.array(z.discriminatedUnion("provider", [DokployTargetSchema, CoolifyTargetSchema])).min(1),
  source: SourceSchema.optional().describe("Where `stackctl run` reads manifests (flags and environment override it)"),
  controller: ControllerSettingsSchema.prefault({}),
});

/** A configuration as written. */
export type ControllerConfigInput = z.input<typeof ControllerConfigSchema>;
/** A configuration with defaults. */
export type ControllerConfig = z.output<typeof ControllerConfigSchema>;
/** One configured target. */
export type TargetConfig = ControllerConfig["targets"][number];
/** The manifests' source of `stackctl run`. */
export type SourceConfig = z.output<typeof SourceSchema>;
/** Git credentials as configured (by reference). */
export type GitAuthConfig = z.output<typeof GitAuthSchema>;
/** The controller process settings, with defaults. */
export type ControllerSettings = z.output<typeof ControllerSettingsSchema>;
/** The GitHub settings of the controller, with defaults. */
export type GitHubSettings = z.output<typeof GitHubSettingsSchema>;
/** The policy of a ControllerConfig. */
export type PolicyConfig = z.output<typeof PolicySchema>;
/** A credential reference. */
export type CredentialRef = z.output<typeof CredentialRefSchema>;
