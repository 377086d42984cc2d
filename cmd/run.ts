/**
 * `stackctl run`: the controller. Reads the configuration, the flags and the environment, builds the source, the
 * providers (their requests counted in metrics) and the logger, starts the controller, and serves until
 * SIGTERM/SIGINT; then it stops taking work, lets work in flight finish within the shutdown timeout, and exits 0.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Logger } from "pino";
import { createGitHubClient } from "../controller/github/client.ts";
import type { RevisionObserver } from "../controller/github/commit-statuses.ts";
import { createControllerStatuses } from "../controller/github/controller-statuses.ts";
import { createLogger } from "../controller/log.ts";
import { systemTimers } from "../controller/loop/timers.ts";
import { startController } from "../controller/loop/controller.ts";
import { createScrubber, scrubbingResolver } from "../controller/scrub.ts";
import type { Scrubber } from "../controller/scrub.ts";
import { createSecretResolver, describeSecretSources } from "../controller/secrets.ts";
import { createControllerMetrics } from "../controller/server/controller-metrics.ts";
import type { ControllerMetrics } from "../controller/server/controller-metrics.ts";
import { createGitSource } from "../controller/sources/git.ts";
import { isSourceError } from "../controller/sources/errors.ts";
import { createDirectorySource, gitManifestSource } from "../controller/sources/source.ts";
import type { ManifestSource } from "../controller/sources/source.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { configCredentials, secretSourcesOf } from "./credentials.ts";
import type { LoadedConfig } from "./config.ts";
import type { CliIO, Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";
import { createProvider } from "./providers.ts";
import type { RunSettings } from "./run-settings.ts";
import { resolveRunSettings } from "./run-settings.ts";

const HELP = `usage: stackctl run [--config FILE] (--git URL [--branch B] [--path DIR] | --dir DIR) [options]

Runs the controller: keeps the servers matching the Stack manifests of a Git branch or a directory.
  --git URL             repository to pull (https://…, ssh, or a local path); env STACKCTL_GIT_URL
  --branch B            branch (default main); env STACKCTL_GIT_BRANCH
  --path DIR            manifests' directory inside the repository (default .); env STACKCTL_GIT_PATH
  --dir DIR             a local directory instead of Git, watched for changes; env STACKCTL_DIR
  --interval D          fetch interval, jittered (default 1m); env STACKCTL_INTERVAL
  --drift-interval D    re-check every stack against the server this often (default 10m)
  --listen HOST:PORT    health, metrics, status and webhooks (default 0.0.0.0:8080); env STACKCTL_LISTEN
  --data-dir DIR        Git checkout and status/ (default ./.stackctl); env STACKCTL_DATA_DIR
  --workers N           stacks reconciled at once (default 4)
  --log-format F        json or pretty (default: pretty on a terminal)
  --log-level L         trace, debug, info, warn, error (default info)
  --allow-mass-deletion allow a teardown of more than half of the managed stacks
Git credentials: STACKCTL_GIT_TOKEN (HTTPS) or STACKCTL_GIT_SSH_KEY_FILE. Webhook secrets:
STACKCTL_GITHUB_WEBHOOK_SECRET (POST /hooks/github), STACKCTL_WEBHOOK_TOKEN (POST /hooks/generic).
`;

const OPTIONS = {
  config: { type: "string" },
  git: { type: "string" },
  branch: { type: "string" },
  path: { type: "string" },
  dir: { type: "string" },
  interval: { type: "string" },
  "drift-interval": { type: "string" },
  listen: { type: "string" },
  "data-dir": { type: "string" },
  workers: { type: "string" },
  "log-format": { type: "string" },
  "log-level": { type: "string" },
  "allow-mass-deletion": { type: "boolean" },
  help: { type: "boolean", default: false },
} as const;

/** run implements the run verb; resolves with the exit code once the controller has stopped. */
export const run: Verb = async (args, io) => {
  let values;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS }));
  } catch (err) {
    io.stderr(`stackctl run: ${(err as Error).message}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  if (values.help) return io.stdout(HELP), 0;
  try {
    const config = loadConfig(values.config, io.env, io.cwd);
    const settings = resolveRunSettings(values, config, io.env, io.cwd, io.isTTY);
    return await serve(config, settings, io);
  } catch (err) {
    if (!(err instanceof ConfigError) && !isSourceError(err, "source.invalid-config")) throw err;
    io.stderr(`stackctl run: ${err.message} [${err.code}]\n`);
    return EXIT_USAGE;
  }
};

async function serve(config: LoadedConfig, settings: RunSettings, io: CliIO): Promise<number> {
  const credentials = configCredentials(config, settings, io.env);
  const scrub = createScrubber(credentials.values);
  const logger = createLogger({ level: settings.logLevel, pretty: settings.logFormat === "pretty", scrub });
  const metrics = createControllerMetrics();
  const targets = config.targets.map((t) => ({
    name: t.config.name,
    provider: createProvider(t, (info) => metrics.providerRequest(info.target, info.status ?? "network")),
  }));
  const secrets = secretSourcesOf(config, io.env, credentials);
  const revisions = commitStatuses(settings, targets.map((t) => t.name), scrub, logger, metrics);
  const controller = await startController({
    instance: config.instance,
    targets,
    source: buildSource(settings, io),
    branch: settings.source.kind === "git" ? settings.source.branch : "main",
    pollIntervalMs: settings.pollIntervalMs,
    driftIntervalMs: settings.driftIntervalMs,
    workers: settings.workers,
    allowMassDeletion: settings.allowMassDeletion,
    resolveSecret: scrubbingResolver(createSecretResolver(secrets), scrub),
    describeSecret: (name) => describeSecretSources(name, secrets),
    policy: config.policy,
    scrub,
    statusDir: join(settings.dataDir, "status"),
    legacyStatusFile: join(settings.dataDir, "state.json"),
    listen: settings.listen,
    hooks: settings.hooks,
    api: settings.api,
    runtimeFile: join(settings.dataDir, "runtime.json"),
    shutdownTimeoutMs: settings.shutdownTimeoutMs,
    logger,
    metrics,
    ...(revisions ? { revisions } : {}),
  });
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  logger.info("shutting down: finishing work in flight");
  const finished = await controller.stop();
  await Promise.all(targets.map((t) => t.provider.close()));
  logger.info({ finished }, finished ? "stopped" : "stopped: work in flight did not finish in time");
  return 0;
}

function buildSource(settings: RunSettings, io: CliIO): ManifestSource {
  const s = settings.source;
  if (s.kind === "directory") return createDirectorySource(s.path);
  const git = createGitSource({
    url: s.url,
    branch: s.branch,
    path: s.path,
    workDir: join(settings.dataDir, "checkout"),
    env: { ...io.env },
    ...(s.auth ? { auth: s.auth } : {}),
  });
  return gitManifestSource(git);
}

/** The commit statuses of a GitHub repository's revisions, or undefined (logged) when they are off. */
function commitStatuses(settings: RunSettings, targets: string[], scrub: Scrubber, logger: Logger, metrics: ControllerMetrics): RevisionObserver | undefined {
  const g = settings.github;
  if ("off" in g) {
    logger.info({ reason: g.off }, "commit statuses off");
    return undefined;
  }
  const client = createGitHubClient({
    apiUrl: g.apiUrl,
    token: g.token,
    // One quick retry inside the request; the poster retries after that with its own backoff.
    retries: 1,
    maxRateLimitWaitSeconds: 0,
    onRateLimited: (i) => logger.warn({ kind: i.kind, retryAfterSeconds: i.retryAfterSeconds, route: i.route }, "GitHub rate limit"),
  });
  logger.info({ repository: `${g.repository.owner}/${g.repository.repo}`, apiUrl: g.apiUrl }, "commit statuses on");
  return createControllerStatuses({
    client,
    repository: g.repository,
    targets,
    ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
    scrub: (t) => scrub.text(t),
    logger,
    registry: metrics.registry,
    timers: systemTimers,
  });
}
