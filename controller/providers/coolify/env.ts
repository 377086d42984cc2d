/**
 * Environment variables and build args as Coolify application env vars. Both live in one list keyed by
 * (key, is_preview): a runtime variable has `is_runtime`, a build arg `is_buildtime`, a key in both (same value)
 * has both. Every write sends the full object with all flags, because Coolify's PATCH resets omitted flags.
 *
 * Fingerprints: a token without `read:sensitive` gets no `value` back, so stackctl writes into each variable's
 * `comment` a keyed SHA-256 (HMAC) of key and value, `stackctl-fp=<hex>`, never the value. observe() then compares
 * that fingerprint with the desired value: equal → the desired value is reported (no drift); different or missing
 * → a fixed placeholder is reported (drift, so apply rewrites it). This detects a changed manifest or secret
 * store; it cannot detect an edit of the value on the server that left the comment alone — only `read:sensitive`
 * gives that. Without desired values (no `desiredValues` in the request) hidden variables read as unknown.
 */
import { createHmac } from "node:crypto";
import type { AppSpec } from "../../model.ts";
import { HIDDEN_CHANGED } from "../../model.ts";
import { read, write } from "./api.ts";
import { EnvList } from "./rows.ts";
import type { EnvRow } from "./rows.ts";
import type { Transport } from "./transport.ts";

const FP = /\bstackctl-fp=([0-9a-f]{64})\b/;

/** Reported for a hidden value whose fingerprint does not match the desired one (defined with the neutral model). */
export { HIDDEN_CHANGED };

/** The desired variables of one application, for fingerprint checks. */
export interface DesiredValues {
  env: Record<string, string>;
  buildArgs: Record<string, string>;
}

/** fingerprint is HMAC-SHA256(secret, key + NUL + value) as hex; `secret` defaults to the application uuid (a salt). */
export function fingerprint(secret: string, key: string, value: string): string {
  return createHmac("sha256", secret).update(`${key}\u0000${value}`).digest("hex");
}

/** One variable as stackctl writes it. */
export interface EnvItem {
  key: string;
  value: string;
  is_preview: false;
  is_literal: true;
  is_multiline: boolean;
  is_shown_once: false;
  is_runtime: boolean;
  is_buildtime: boolean;
  comment: string;
}

/** desiredItems merges env and buildArgs into Coolify variables (a key in both must have one value; see unsupported()). */
export function desiredItems(spec: Pick<AppSpec, "env" | "buildArgs">, fpSecret: string): EnvItem[] {
  const keys = [...new Set([...Object.keys(spec.env), ...Object.keys(spec.buildArgs)])];
  return keys.map((key) => {
    const value = spec.env[key] ?? spec.buildArgs[key] ?? "";
    return {
      key,
      value,
      is_preview: false,
      // Literal: stackctl's values are final, Coolify must not expand `$OTHER` inside them.
      is_literal: true,
      is_multiline: value.includes("\n"),
      is_shown_once: false,
      is_runtime: key in spec.env,
      is_buildtime: key in spec.buildArgs,
      comment: `stackctl-fp=${fingerprint(fpSecret, key, value)}`,
    };
  });
}

/** Whether an existing row already holds `item` (value by text when readable, else by fingerprint). */
function upToDate(row: EnvRow, item: EnvItem): boolean {
  const flags = row.is_literal === true && (row.is_multiline ?? false) === item.is_multiline && (row.is_shown_once ?? false) === false
    && (row.is_runtime ?? true) === item.is_runtime && (row.is_buildtime ?? true) === item.is_buildtime;
  if (!flags || row.comment !== item.comment) return false;
  return "value" in row ? (row.value ?? "") === item.value : true;
}

/**
 * syncEnv makes application `uuid`'s variables equal `spec`: one bulk upsert of the new and changed ones (all
 * flags sent), then a delete of every variable (production and preview copy) whose key is no longer wanted.
 */
export async function syncEnv(http: Transport, uuid: string, spec: Pick<AppSpec, "env" | "buildArgs">, fpSecret: string): Promise<void> {
  const rows = await read(http, `/applications/${uuid}/envs`, EnvList);
  const items = desiredItems(spec, fpSecret);
  const current = new Map(rows.filter((r) => !r.is_preview).map((r) => [r.key, r]));
  const changed = items.filter((item) => {
    const row = current.get(item.key);
    return !row || !upToDate(row, item);
  });
  if (changed.length > 0) await write(http, "PATCH", `/applications/${uuid}/envs/bulk`, "update", { data: changed });
  const wanted = new Set(items.map((i) => i.key));
  for (const row of rows) {
    if (!wanted.has(row.key)) await write(http, "DELETE", `/applications/${uuid}/envs/${row.uuid}`, "delete");
  }
}

/** readEnv maps production rows to env and buildArgs; hidden values are resolved through fingerprints. */
export function readEnv(rows: readonly EnvRow[], desired: DesiredValues | undefined, fpSecret: string): Pick<AppSpec, "env" | "buildArgs"> | undefined {
  const env: Record<string, string> = {};
  const buildArgs: Record<string, string> = {};
  for (const row of rows) {
    if (row.is_preview) continue;
    let value: string;
    if ("value" in row) value = row.value ?? ""; // Coolify turns "" into null
    else {
      if (!desired) return undefined; // hidden and nothing to compare with: unknown
      value = resolveHidden(row, desired, fpSecret);
    }
    if (row.is_runtime ?? true) env[row.key] = value;
    if (row.is_buildtime ?? true) buildArgs[row.key] = value;
  }
  return { env, buildArgs };
}

function resolveHidden(row: EnvRow, desired: DesiredValues, fpSecret: string): string {
  const want = desired.env[row.key] ?? desired.buildArgs[row.key];
  const stored = FP.exec(row.comment ?? "")?.[1];
  return want !== undefined && stored === fingerprint(fpSecret, row.key, want) ? want : HIDDEN_CHANGED;
}
