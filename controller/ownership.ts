/**
 * Ownership markers: every object stackctl creates carries one in its description, and stackctl never updates or
 * deletes an object without one. The marker has no ':' (Coolify rejects it in descriptions) and keeps the user's
 * own description in front of it, so the text stays readable in the platform's UI.
 */
import type { OwnerMarker } from "./model.ts";

const MARKER = /\[managed-by stackctl instance=([A-Za-z0-9_.-]+) stack=([a-z0-9-]+)\]/;

/** formatMarker renders the marker, appended to `description` when there is one. */
export function formatMarker(owner: OwnerMarker, description?: string | null): string {
  const marker = `[managed-by stackctl instance=${owner.instance} stack=${owner.stack}]`;
  return description ? `${description} ${marker}` : marker;
}

/** parseMarker finds the marker in a description; null when the object is not stackctl's. */
export function parseMarker(description: string | null | undefined): OwnerMarker | null {
  const match = description ? MARKER.exec(description) : null;
  return match ? { instance: match[1]!, stack: match[2]! } : null;
}
