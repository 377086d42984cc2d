/**
 * The controller's commit statuses put together: the reporter (what to post) over the background poster (how),
 * sending through the rate-limited octokit client, counting every attempt in `stackctl_github_status_requests_total`.
 */
import type { Logger } from "pino";
import type { Timers } from "../loop/timers.ts";
import { Counter } from "prom-client";
import type { Registry } from "prom-client";
import type { GitHubClient } from "./client.ts";
import { describeGitHubError } from "./client.ts";
import type { RevisionObserver } from "./commit-statuses.ts";
import { createCommitStatusReporter } from "./commit-statuses.ts";
import type { GitHubRepository } from "./repository.ts";
import { createStatusPoster } from "./status-poster.ts";

/** What the controller's commit statuses need; cmd/run.ts resolves them from the configuration. */
export interface ControllerStatusOptions {
  client: GitHubClient;
  repository: GitHubRepository;
  targets: readonly string[];
  publicUrl?: string;
  scrub(text: string): string;
  logger: Logger;
  registry: Registry;
  timers: Timers;
  /** First retry delay after a failed post; default 1 s, doubling up to 5 min. */
  initialBackoffMs?: number;
}

/** createControllerStatuses returns the observer to pass to startController as `revisions`. */
export function createControllerStatuses(opts: ControllerStatusOptions): RevisionObserver {
  const attempts = new Counter({
    name: "stackctl_github_status_requests_total",
    help: "Commit status posts to GitHub by result (posted, or the failure's code).",
    labelNames: ["result"],
    registers: [opts.registry],
  });
  const { owner, repo } = opts.repository;
  const logger = opts.logger.child({ github: `${owner}/${repo}` });
  const poster = createStatusPoster({
    async send(s) {
      await opts.client.rest.repos.createCommitStatus({ owner, repo, sha: s.sha, state: s.state, context: s.context, description: s.description, ...(s.targetUrl ? { target_url: s.targetUrl } : {}) });
    },
    describe: (err) => describeGitHubError(err),
    timers: opts.timers,
    logger,
    onAttempt: (result) => attempts.inc({ result }),
    ...(opts.initialBackoffMs ? { initialBackoffMs: opts.initialBackoffMs } : {}),
  });
  const reporter = createCommitStatusReporter({
    targets: opts.targets,
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
    scrub: opts.scrub,
    post: (s) => {
      logger.info({ sha: s.sha, context: s.context, state: s.state, description: s.description }, "commit status");
      poster.enqueue(s);
    },
  });
  return {
    revisionInForce: (rev, status) => reporter.revisionInForce(rev, status),
    statusChanged: (name, status) => reporter.statusChanged(name, status),
    stop() {
      reporter.stop();
      poster.stop();
    },
  };
}
