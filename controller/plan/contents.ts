/**
 * What may be removed: an environment or project goes only when everything inside it goes with it. Anything the
 * plan does not delete — a compose service, a database, an application someone else made — keeps its container,
 * and the plan says so (`keep project/blog: holds 1 compose service not managed by stackctl`).
 */
import type { ActualEnvironment, ActualProject } from "../model.ts";
import type { Kept } from "./types.ts";

/** The nouns of what keeps `env` in place when the plan deletes the applications in `deleted`; empty when nothing does. */
export function foreignContents(env: ActualEnvironment, instance: string, deleted: ReadonlySet<string>): string[] {
  const left = env.applications.filter((a) => !deleted.has(a.id));
  const apps = left.map((a) => (a.owner?.instance === instance ? "application of another stack" : "application"));
  return [...apps, ...env.others.map((o) => o.kind)];
}

/** environmentKeeper is the Kept note for an environment held by `contents`; null when nothing foreign is there. */
export function environmentKeeper(project: ActualProject, env: ActualEnvironment, contents: readonly string[]): Kept | null {
  return keeper("environment", `project/${project.name} env/${env.name}`, contents);
}

/** keeper names an object kept in place and what holds it. */
export function keeper(kind: Kept["kind"], subject: string, contents: readonly string[]): Kept | null {
  const foreign = contents.filter((c) => c !== "application of another stack");
  if (foreign.length === 0) return null;
  return { kind, subject, reason: `holds ${describeCounts(foreign)} not managed by stackctl` };
}

/** `1 compose service, 2 postgres databases`, in first-seen order. */
export function describeCounts(nouns: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const n of nouns) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([noun, n]) => `${n} ${n === 1 ? noun : `${noun}s`}`).join(", ");
}
