/**
 * Ownership markers: every object stackctl creates carries one in its description, and stackctl never updates or
 * deletes an object without one. The marker has no ':' (Coolify rejects it in descriptions) and keeps the user's
 * own description in front of it, so the text stays readable in the platform's UI. It also records the stack's
 * deletion policy, because when a manifest is gone the server is the only place left to learn it from.
 */
import type { OwnerMarker } from "./model.ts";

const MARKER = /\[managed-by stackctl instance=([A-Za-z0-9_.-]+) stack=([a-z0-9-]+)( deletion=orphan)?\]/;

/** formatMarker renders the marker, appended to `description` when there is one. */
export function formatMarker(owner: OwnerMarker, description?: string | null): string {
  const policy = owner.orphan ? " deletion=orphan" : "";
  const marker = `[managed-by stackctl instance=${owner.instance} stack=${owner.stack}${policy}]`;
  return description ? `${description} ${marker}` : marker;
}

/**
 * markedDescription is the description stackctl writes on an existing object it adopts or keeps: the manifest's own
 * text when it gives one, else the text already on the object in front of (or instead of) a marker, then the
 * marker — so adopting a project someone described by hand keeps what they wrote (issue #9).
 */
export function markedDescription(owner: OwnerMarker, wanted: string | null | undefined, existing: string | null | undefined): string {
  return formatMarker(owner, wanted ?? userText(existing));
}

/** userText is a description without its marker, trimmed; null when nothing else is left. */
export function userText(description: string | null | undefined): string | null {
  const text = (description ?? "").replace(MARKER, "").replace(/\s+/g, " ").trim();
  return text === "" ? null : text;
}

/** parseMarker finds the marker in a description; null when the object is not stackctl's. */
export function parseMarker(description: string | null | undefined): OwnerMarker | null {
  const match = description ? MARKER.exec(description) : null;
  if (!match) return null;
  return match[3] ? { instance: match[1]!, stack: match[2]!, orphan: true } : { instance: match[1]!, stack: match[2]! };
}

/** isOwnedBy tells whether an object's marker names this instance (and, when given, this stack). */
export function isOwnedBy(owner: OwnerMarker | null, instance: string, stack?: string): boolean {
  return owner !== null && owner.instance === instance && (stack === undefined || owner.stack === stack);
}
