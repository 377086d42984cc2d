/**
 * One comment per pull request and target, updated in place: the body starts with a hidden marker naming the
 * target, the pull request's comments are searched for it page by page, and the first match is edited; only when
 * none is found is a comment created. Comments that do not start with the marker (other bots', people's, quotes of
 * ours) are never touched.
 */
import type { GitHubClient } from "./client.ts";
import type { GitHubRepository } from "./repository.ts";

/** The hidden first line that identifies stackctl's plan comment for `target`. */
export function planCommentMarker(target: string): string {
  return `<!-- stackctl:plan target=${target} -->`;
}

/** Where the comment goes and what it says; `body` must start with `marker`. */
export interface CommentRequest {
  repository: GitHubRepository;
  pullRequest: number;
  marker: string;
  body: string;
}

/** What upsertComment did. */
export interface CommentResult {
  action: "created" | "updated" | "unchanged";
  id: number;
  url: string;
}

/** upsertComment creates or updates the marked comment; rejects with the client's error when GitHub fails. */
export async function upsertComment(client: GitHubClient, req: CommentRequest): Promise<CommentResult> {
  if (!req.body.startsWith(req.marker)) throw new Error("the comment body must start with its marker");
  const { owner, repo } = req.repository;
  const existing = await findMarked(client, req);
  if (existing) {
    if (existing.body === req.body) return { action: "unchanged", id: existing.id, url: existing.html_url };
    const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: req.body });
    return { action: "updated", id: data.id, url: data.html_url };
  }
  const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: req.pullRequest, body: req.body });
  return { action: "created", id: data.id, url: data.html_url };
}

async function findMarked(client: GitHubClient, req: CommentRequest): Promise<{ id: number; body: string; html_url: string } | null> {
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    owner: req.repository.owner,
    repo: req.repository.repo,
    issue_number: req.pullRequest,
    per_page: 100,
  });
  for await (const page of pages) {
    const mine = page.data.find((c) => isMarked(c.body ?? "", req.marker));
    if (mine) return { id: mine.id, body: mine.body ?? "", html_url: mine.html_url };
  }
  return null;
}

/** The marker must be the whole first line: a comment that merely quotes or mentions it is someone else's. */
function isMarked(body: string, marker: string): boolean {
  return body === marker || body.startsWith(`${marker}\n`) || body.startsWith(`${marker}\r\n`);
}
