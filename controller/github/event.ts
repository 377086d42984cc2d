/**
 * The pull request a GitHub Actions run is about, read from the `pull_request` (or `pull_request_target`) event
 * payload that `GITHUB_EVENT_PATH` points at. Only the fields stackctl uses are parsed, with zod.
 */
import { z } from "zod";

const EventSchema = z.object({
  pull_request: z.object({
    number: z.int().positive(),
    head: z.object({ sha: z.string().regex(/^[0-9a-f]{40,64}$/) }),
  }),
});

/** The pull request: its number and the commit at its head. */
export interface PullRequestRef {
  number: number;
  headSha: string;
}

/** pullRequestOfEvent parses an event payload; null when it is not a pull request event. */
export function pullRequestOfEvent(payload: unknown): PullRequestRef | null {
  const parsed = EventSchema.safeParse(payload);
  if (!parsed.success) return null;
  return { number: parsed.data.pull_request.number, headSha: parsed.data.pull_request.head.sha };
}
