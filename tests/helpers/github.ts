/**
 * A GitHub-REST-compatible server on 127.0.0.1 for tests: the issue-comment and commit-status endpoints stackctl
 * uses, with GitHub's pagination (`Link` headers, `per_page`/`page`), authentication (`Authorization: token …` or
 * `Bearer …`), and its failure answers on demand: 5xx, the primary rate limit (403 with `x-ratelimit-remaining: 0`
 * and `x-ratelimit-reset`) and the secondary rate limit (403 "secondary rate limit" with `retry-after`). Every
 * request is recorded, so tests assert what was asked.
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One recorded request. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

/** A comment as the server keeps it. */
export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
}

/** A commit status as posted. */
export interface FakeStatus {
  state: string;
  context: string;
  description?: string;
  target_url?: string;
}

/** A scripted failure: the next `times` requests matching `match` get this answer instead. */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  message?: string;
  times: number;
  match?: (req: RecordedRequest) => boolean;
}

/** The running fake. */
export interface FakeGitHub {
  /** The API root, for GITHUB_API_URL / octokit's baseUrl. */
  url: string;
  requests: RecordedRequest[];
  /** Comments by issue (pull request) number. */
  comments: Map<number, FakeComment[]>;
  /** Statuses by commit SHA, oldest first. */
  statuses: Map<string, FakeStatus[]>;
  /** Head commit of each pull request the server knows (`GET /repos/O/R/pulls/N`). */
  pulls: Map<number, string>;
  /** addComment seeds a comment as another user or bot would have written it. */
  addComment(issue: number, body: string, user?: FakeComment["user"]): FakeComment;
  fault(f: Fault): void;
  /** down makes every request answer 503 until called with false. */
  down(on: boolean): void;
  close(): Promise<void>;
}

/** The login the configured token acts as (as GitHub Actions' token does). */
export const BOT = { login: "github-actions[bot]", type: "Bot" } as const;

/** startFakeGitHub listens on 127.0.0.1; `token` is the only credential accepted. */
export async function startFakeGitHub(opts: { token: string; owner: string; repo: string }): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const comments = new Map<number, FakeComment[]>();
  const statuses = new Map<string, FakeStatus[]>();
  const pulls = new Map<number, string>();
  const faults: Fault[] = [];
  let isDown = false;
  let nextId = 1000;
  let url = "";

  const server = createServer((req, res) => {
    void read(req).then((raw) => {
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      let body: unknown = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const rec: RecordedRequest = { method: req.method ?? "GET", path: u.pathname, query: u.searchParams, authorization: req.headers.authorization, body };
      requests.push(rec);
      route(rec, res);
    });
  });

  function route(rec: RecordedRequest, res: ServerResponse): void {
    if (isDown) return send(res, 503, { message: "Service Unavailable" });
    const i = faults.findIndex((f) => f.times > 0 && (!f.match || f.match(rec)));
    if (i >= 0) {
      const f = faults[i]!;
      f.times -= 1;
      return send(res, f.status, { message: f.message ?? "fault", documentation_url: "https://docs.github.com/rest" }, f.headers);
    }
    const auth = rec.authorization ?? "";
    if (auth !== `token ${opts.token}` && auth !== `bearer ${opts.token}` && auth !== `Bearer ${opts.token}`) return send(res, 401, { message: "Bad credentials" });
    const base = `/repos/${opts.owner}/${opts.repo}`;
    const p = rec.path;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(p))) {
      const issue = Number(m[1]);
      if (rec.method === "GET") return listComments(rec, res, issue);
      if (rec.method === "POST") {
        const c = addComment(issue, (rec.body as { body: string }).body, BOT);
        return send(res, 201, view(c, issue));
      }
    }
    if ((m = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(p)) && rec.method === "PATCH") {
      const id = Number(m[1]);
      for (const [issue, list] of comments) {
        const c = list.find((x) => x.id === id);
        if (!c) continue;
        if (c.user.login !== BOT.login) return send(res, 403, { message: "Resource not accessible by integration" });
        c.body = (rec.body as { body: string }).body;
        return send(res, 200, view(c, issue));
      }
      return send(res, 404, { message: "Not Found" });
    }
    if ((m = new RegExp(`^${base}/pulls/(\\d+)$`).exec(p)) && rec.method === "GET") {
      const sha = pulls.get(Number(m[1]));
      return sha ? send(res, 200, { number: Number(m[1]), head: { sha } }) : send(res, 404, { message: "Not Found" });
    }
    if ((m = new RegExp(`^${base}/statuses/([0-9a-f]{40})$`).exec(p)) && rec.method === "POST") {
      const s = rec.body as FakeStatus;
      if (!["pending", "success", "failure", "error"].includes(s.state) || (s.description?.length ?? 0) > 140) return send(res, 422, { message: "Validation Failed" });
      const list = statuses.get(m[1]!) ?? [];
      if (list.length >= 1000) return send(res, 422, { message: "This SHA and context has reached the maximum number of statuses." });
      list.push(s);
      statuses.set(m[1]!, list);
      return send(res, 201, { id: nextId++, ...s });
    }
    send(res, 404, { message: "Not Found" });
  }

  function listComments(rec: RecordedRequest, res: ServerResponse, issue: number): void {
    const all = comments.get(issue) ?? [];
    const perPage = Math.min(100, Number(rec.query.get("per_page") ?? 30));
    const page = Number(rec.query.get("page") ?? 1);
    const items = all.slice((page - 1) * perPage, page * perPage).map((c) => view(c, issue));
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (n: number, rel: string) => `<${url}${rec.path}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
    const links = page < last ? [link(page + 1, "next"), link(last, "last")] : [];
    send(res, 200, items, links.length > 0 ? { link: links.join(", ") } : {});
  }

  function addComment(issue: number, body: string, user: FakeComment["user"] = { login: "someone", type: "User" }): FakeComment {
    const c: FakeComment = { id: nextId++, body, user };
    comments.set(issue, [...(comments.get(issue) ?? []), c]);
    return c;
  }

  function view(c: FakeComment, issue: number): object {
    return { id: c.id, body: c.body, user: c.user, html_url: `https://github.test/${opts.owner}/${opts.repo}/pull/${issue}#issuecomment-${c.id}` };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    comments,
    statuses,
    pulls,
    addComment,
    fault: (f) => void faults.push({ ...f }),
    down: (on) => void (isDown = on),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** primaryRateLimit is GitHub's answer when the token's hourly quota is spent; it resets in `resetInSeconds`. */
export function primaryRateLimit(resetInSeconds: number, times: number): Fault {
  return {
    status: 403,
    times,
    message: "API rate limit exceeded for installation ID 1.",
    headers: { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + resetInSeconds) },
  };
}

/** secondaryRateLimit is GitHub's answer to too many requests at once, asking to wait `retryAfter` seconds. */
export function secondaryRateLimit(retryAfter: number, times: number): Fault {
  return { status: 403, times, message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", headers: { "retry-after": String(retryAfter) } };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (data += chunk));
    req.on("end", () => resolve(data));
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999", ...headers });
  res.end(text);
}
