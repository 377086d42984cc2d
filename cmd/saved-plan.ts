/**
 * Saved plans for the CLI: `diff --out FILE` writes one (controller/planfile/schema.ts), `apply FILE` reads it,
 * re-plans from the same manifest paths, and goes on only when nothing moved: the same manifest bytes, the same
 * instance and targets, the same observed objects (fingerprints), and the same printable plan. The apply then runs
 * the fresh plan, whose operations hold the secrets resolved again — the file never held them.
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { canonicalJson, fingerprints, touchedIds } from "../controller/planfile/fingerprint.ts";
import type { SavedPlan } from "../controller/planfile/schema.ts";
import { SAVED_PLAN_KIND, SAVED_PLAN_VERSION, SavedPlanSchema } from "../controller/planfile/schema.ts";
import { planToJson } from "../controller/render/index.ts";
import { readSources } from "../specs/sources.ts";
import type { CliIO } from "./io.ts";
import type { Prepared } from "./prepare.ts";

/** A saved plan that cannot be read, or cannot be made; `code` is stable. */
export class SavedPlanError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "SavedPlanError";
    this.code = code;
  }
}

/** The advice every refusal ends with. */
export const PLAN_AGAIN = "plan again: stackctl diff --out FILE, review it, then stackctl apply FILE";

/** manifestDigests reads the manifest files under `paths` and returns their SHA-256s, sorted by file. */
export async function manifestDigests(paths: readonly string[], cwd: string): Promise<{ file: string; sha256: string }[]> {
  if (paths.includes("-")) throw new SavedPlanError("planfile.stdin", "a saved plan cannot be made from standard input: name the manifest files or directories");
  const read = await readSources(paths, { cwd });
  return read.sources.map((s) => ({ file: s.file, sha256: createHash("sha256").update(s.bytes).digest("hex") })).sort((a, b) => a.file.localeCompare(b.file));
}

/** savedPlanOf builds the file's content from what `diff` prepared; throws when a target could not be planned. */
export async function savedPlanOf(p: Prepared, paths: readonly string[], allowMassDeletion: boolean, io: CliIO): Promise<SavedPlan> {
  const targets = p.plans.map((t) => {
    if (t.error || !t.actual) throw new SavedPlanError("planfile.incomplete", `target ${t.target} could not be planned: no plan saved`);
    return { target: t.target, observed: fingerprints(t.actual, touchedIds(t.plan)), plan: JSON.parse(JSON.stringify(planToJson(t.plan))) };
  });
  const manifests = await manifestDigests(paths, io.cwd);
  return SavedPlanSchema.parse({ kind: SAVED_PLAN_KIND, formatVersion: SAVED_PLAN_VERSION, createdAt: new Date().toISOString(), instance: p.config.instance, paths: [...paths], allowMassDeletion, manifests, targets });
}

/** writeSavedPlan writes the plan to `file` (relative to io.cwd), scrubbed once more as everything that leaves. */
export async function writeSavedPlan(file: string, saved: SavedPlan, p: Prepared, io: CliIO): Promise<void> {
  await writeFile(resolve(io.cwd, file), `${p.scrub.text(JSON.stringify(saved, null, 2))}\n`, { mode: 0o600 });
}

/** readSavedPlan returns the saved plan in `file`, or undefined when the file is not one (e.g. a manifest). */
export async function readSavedPlan(file: string, io: CliIO): Promise<SavedPlan | undefined> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), "utf8");
  } catch {
    return undefined;
  }
  if (!text.trimStart().startsWith("{")) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SavedPlanError("planfile.invalid", `${file}: not valid JSON: ${(err as Error).message}`);
  }
  if ((json as { kind?: unknown })?.kind !== SAVED_PLAN_KIND) return undefined;
  const parsed = SavedPlanSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new SavedPlanError("planfile.invalid", `${file}: not a saved plan this version of stackctl can apply: ${issues.join("; ")}`);
  }
  return parsed.data;
}

/** staleReasons lists what changed since `saved` was made; empty when `p` (planned again now) is the same plan. */
export async function staleReasons(saved: SavedPlan, p: Prepared, io: CliIO): Promise<string[]> {
  const reasons: string[] = [];
  if (saved.instance !== p.config.instance) reasons.push(`the instance is now '${p.config.instance}', the plan was made for '${saved.instance}'`);
  reasons.push(...manifestChanges(saved.manifests, await manifestDigests(saved.paths, io.cwd)));
  const savedTargets = new Set(saved.targets.map((t) => t.target));
  for (const t of p.plans) if (!savedTargets.has(t.target)) reasons.push(`target ${t.target} was not in the plan`);
  for (const s of saved.targets) {
    const now = p.plans.find((t) => t.target === s.target);
    if (!now) reasons.push(`target ${s.target} is not configured any more`);
    else if (now.error || !now.actual) reasons.push(`target ${s.target} could not be read: ${now.error?.message ?? "no state"}`);
    else {
      reasons.push(...objectChanges(s.observed, fingerprints(now.actual, new Set(s.observed.map((o) => o.id)))));
      if (canonicalJson(JSON.parse(JSON.stringify(planToJson(now.plan)))) !== canonicalJson(s.plan)) reasons.push(`the plan for target ${s.target} is different now`);
    }
  }
  return reasons;
}

function manifestChanges(before: SavedPlan["manifests"], now: SavedPlan["manifests"]): string[] {
  const was = new Map(before.map((m) => [m.file, m.sha256]));
  const is = new Map(now.map((m) => [m.file, m.sha256]));
  const out: string[] = [];
  for (const [file, sha] of is) out.push(...(was.get(file) === undefined ? [`manifest ${file} was added`] : was.get(file) !== sha ? [`manifest ${file} changed`] : []));
  for (const file of was.keys()) if (!is.has(file)) out.push(`manifest ${file} was removed`);
  return out;
}

function objectChanges(before: SavedPlan["targets"][number]["observed"], now: SavedPlan["targets"][number]["observed"]): string[] {
  const is = new Map(now.map((o) => [o.id, o.sha256]));
  return before.flatMap((o) => (!is.has(o.id) ? [`${o.object} is gone from the server`] : is.get(o.id) !== o.sha256 ? [`${o.object} changed on the server`] : []));
}
