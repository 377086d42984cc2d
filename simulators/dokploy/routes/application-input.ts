/**
 * Input schemas of the `application.*` mutations, from Dokploy's drizzle-zod schemas
 * (packages/server/src/db/schema/application.ts). Required-but-nullable fields must be present (send null).
 */
import { z } from "zod";
import { applicationDefaults } from "../rows.ts";
import { id, input, optBool, optNullable, presentNullable, reqBool } from "../procedure.ts";

const APP_NAME = z.string().min(1).max(63).regex(/^[a-zA-Z0-9._-]+$/, "App name can only contain letters, numbers, dots, underscores and hyphens");
const SOURCE_TYPES = ["github", "docker", "git", "gitlab", "bitbucket", "gitea", "drop"] as const;
const BUILD_TYPES = ["dockerfile", "heroku_buildpacks", "paketo_buildpacks", "nixpacks", "static", "railpack"] as const;
const STATUSES = ["idle", "running", "done", "error"] as const;
const CERTIFICATE_TYPES = ["letsencrypt", "none", "custom"] as const;

/** application.create: `sourceType` is accepted although the shipped openapi.json lacks it. */
export const createInput = input({
  name: z.string().min(1), appName: APP_NAME.optional(), description: optNullable(), environmentId: z.string(),
  serverId: optNullable(), sourceType: z.enum(SOURCE_TYPES).optional(),
});

const NUMBERS = ["previewPort", "previewLimit", "gitlabProjectId", "replicas"];
const BOOLEANS = [
  "previewHttps", "isPreviewDeploymentsActive", "previewRequireCollaboratorPermissions", "rollbackActive", "enabled", "cleanCache",
  "autoDeploy", "enableSubmodules", "isStaticSpa", "createEnvFile", "detachDokployNetwork",
];
const STRING_ARRAYS = ["watchPaths", "previewLabels", "args", "networkIds"];

function columnSchema(column: string): z.ZodType {
  if (NUMBERS.includes(column)) return z.coerce.number().nullable().optional();
  if (BOOLEANS.includes(column)) return z.coerce.boolean().nullable().optional();
  if (STRING_ARRAYS.includes(column)) return z.array(z.string()).nullable().optional();
  if (column.endsWith("Swarm")) return z.unknown().optional();
  return optNullable();
}

/** application.update: every column except `serverId`; `appName` is validated, then ignored by the service. */
export const updateInput = input({
  ...Object.fromEntries(Object.keys(applicationDefaults()).filter((c) => c !== "serverId").map((c) => [c, columnSchema(c)])),
  applicationId: id(), name: z.string().min(1).optional(), appName: APP_NAME.optional(), description: optNullable(),
  environmentId: z.string().optional(), createdAt: z.string().optional(), refreshToken: optNullable(),
  sourceType: z.enum(SOURCE_TYPES).optional(), buildType: z.enum(BUILD_TYPES).optional(),
  applicationStatus: z.enum(STATUSES).optional(), triggerType: z.enum(["push", "tag"]).nullable().optional(),
  previewCertificateType: z.enum(CERTIFICATE_TYPES).optional(),
});

/** application.saveEnvironment. */
export const saveEnvironmentInput = input({
  applicationId: z.string(), env: presentNullable(), buildArgs: presentNullable(), buildSecrets: presentNullable(), createEnvFile: reqBool(),
});

/** application.saveDockerProvider: every field must be present, null allowed. */
export const saveDockerProviderInput = input({
  dockerImage: presentNullable(), applicationId: z.string(), username: presentNullable(), password: presentNullable(), registryUrl: presentNullable(),
});

/** application.saveGitProvider (custom git URL). */
export const saveGitProviderInput = input({
  applicationId: z.string(), customGitBuildPath: presentNullable(), customGitUrl: presentNullable(),
  watchPaths: z.array(z.string()).nullable().optional().nonoptional(), enableSubmodules: optBool(),
  customGitBranch: z.string().min(1).regex(/^[a-zA-Z0-9._\-/#]+$/, "Invalid branch name"), customGitSSHKeyId: optNullable(),
});

/** application.saveBuildType. */
export const saveBuildTypeInput = input({
  applicationId: z.string(), buildType: z.enum(BUILD_TYPES), dockerfile: presentNullable(), dockerContextPath: presentNullable(),
  dockerBuildStage: presentNullable(), herokuVersion: presentNullable(), railpackVersion: presentNullable(),
  publishDirectory: optNullable(), isStaticSpa: z.coerce.boolean().nullable().optional(),
});

/** application.deploy / redeploy. */
export const deployInput = input({ applicationId: id(), title: z.string().optional(), description: z.string().optional() });

/** Inputs that carry only the application id. */
export const byIdInput = input({ applicationId: id() });
