/**
 * Best-effort project tagging: Dokploy ≥ 0.29 has organisation-wide project tags, shown in its UI. Every project
 * stackctl creates gets the tag `stackctl`, created on first use. Ownership never depends on the tag (the
 * description marker is authoritative), so a server without the tag router, a key without `tag:create`, or any
 * other tag failure only produces a warning.
 */
import type { HttpClient } from "../../http/client.ts";
import { isProviderError } from "../../http/errors.ts";
import { create, mutate, query } from "./api.ts";
import { IdRow, TagList } from "./rows.ts";

/** The tag name stackctl puts on its projects. */
export const STACKCTL_TAG = "stackctl";

/** A tagger remembers the tag id (or that tags are unavailable) for the life of the provider. */
export interface Tagger {
  tagProject(projectId: string): Promise<void>;
}

/** createTagger returns a Tagger; `warn` receives messages that never contain secrets. */
export function createTagger(http: HttpClient, warn: (message: string) => void): Tagger {
  let tagId: Promise<string | null> | undefined;

  const lookup = async (): Promise<string | null> => {
    try {
      const existing = (await query(http, "tag.all", undefined, TagList)).find((t) => t.name === STACKCTL_TAG);
      if (existing) return existing.tagId;
      return await create(http, "tag.create", { name: STACKCTL_TAG, color: "#2563eb" }, "tagId", IdRow("tagId"));
    } catch (err) {
      if (isProviderError(err, "http.not-found")) return null; // Dokploy < 0.29: no tag router.
      tagId = undefined; // Transient: try again on the next project.
      throw err;
    }
  };

  return {
    async tagProject(projectId) {
      try {
        tagId ??= lookup();
        const id = await tagId;
        if (id !== null) await mutate(http, "tag.assignToProject", { projectId, tagId: id }, "update");
      } catch (err) {
        warn(`could not tag project ${projectId} with '${STACKCTL_TAG}': ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
