/**
 * How the simulator serialises rows, as Coolify's models do: the application without `id` and, for a token
 * without read:sensitive, without its `$hidden` sensitive fields; env vars without `value`/`real_value` then.
 */
import type { ApplicationRow, EnvVarRow } from "./store.ts";

const SENSITIVE_APP_FIELDS = ["custom_labels", "dockerfile", "docker_compose_raw", "http_basic_auth_password", "manual_webhook_secret_github", "manual_webhook_secret_gitlab", "manual_webhook_secret_bitbucket", "manual_webhook_secret_gitea"];

/** applicationView is an application as the API returns it. */
export function applicationView(app: ApplicationRow, sensitive: boolean): Record<string, unknown> {
  const { id: _id, deleting: _d, tags: _t, ...rest } = app;
  if (!sensitive) for (const f of SENSITIVE_APP_FIELDS) delete rest[f];
  return rest;
}

/** envView is an env var as the API returns it. */
export function envView(env: EnvVarRow, sensitive: boolean): Record<string, unknown> {
  const { id: _id, application_id: _a, ...rest } = env;
  if (!sensitive) {
    const { value: _v, ...hidden } = rest;
    return hidden;
  }
  return { ...rest, real_value: env.value };
}
