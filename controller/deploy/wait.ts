/**
 * Waiting for a deployment to finish and the application to run. Polls one application's deployment with backoff
 * (about 1 s, growing ×1.5 to a 10 s cap) until it reaches a terminal state; a successful one is then followed by
 * the application's runtime until the platform reports it running, failed, or cannot tell. Everything the waiter
 * reports (status words, log lines) goes through the caller's `scrub`, so no secret value leaves it.
 */
import { errorMessage } from "../errors.ts";
import type { Provider } from "../provider.ts";
import type { DeploymentObservation, DeploymentRecord, DeploymentTicket, RuntimeObservation } from "./types.ts";

/** How the waiter polls and for how long. Times are milliseconds; `deadline` is on the `now()` clock. */
export interface WaitPolicy {
  /** When waiting gives up (one deadline for every deployment of an apply). */
  deadline: number;
  /** First poll delay (default 1000) and cap (default 10 000); each poll waits 1.5 times longer. */
  initialPollMs?: number;
  maxPollMs?: number;
  /** Log lines kept of a failed deployment (default 20). */
  logLines?: number;
  /** How many polls in a row may report an unknown runtime before the waiter settles for "unknown" (default 3). */
  unknownPolls?: number;
  /** Removes secret values from text (log lines, messages). */
  scrub: (text: string) => string;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Aborting stops the wait; the outcome is then `timeout`, naming what was in progress. */
  signal?: AbortSignal;
}

/** What is being waited for, for messages and events. */
export interface WaitSubject {
  stack: string;
  app: string;
  /** `stack/shop app/web`. */
  subject: string;
}

/** The end of one wait. `reason` is the condition reason the controller reports for a failure. */
export interface DeploymentReport extends WaitSubject {
  outcome: DeploymentRecord["outcome"];
  reason?: "DeploymentFailed" | "HealthCheckFailed" | "DeploymentTimeout";
  /** One line for people, scrubbed, without the subject (`the deployment failed (platform status: error)`). */
  message: string;
  record: DeploymentRecord;
  elapsedMs: number;
}

/** Progress of a wait: called after every poll with the phase seen. */
export type WaitProgress = (subject: WaitSubject, status: string, elapsedMs: number) => void;

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/** waitForDeployment follows `ticket` to its outcome; it never throws (a failing read is retried until the deadline). */
export async function waitForDeployment(provider: Provider, ticket: DeploymentTicket, who: WaitSubject, policy: WaitPolicy, onProgress?: WaitProgress): Promise<DeploymentReport> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? defaultSleep;
  const started = now();
  let delay = policy.initialPollMs ?? 1000;
  const pause = async () => {
    await sleep(Math.max(0, Math.min(delay, policy.deadline - now())), policy.signal);
    delay = Math.min(policy.maxPollMs ?? 10_000, delay * 1.5);
  };
  const record: DeploymentRecord = { app: who.app, id: ticket.deploymentId, status: "queued", outcome: "unknown", startedAt: null, finishedAt: null, logTail: [] };
  const end = (outcome: DeploymentRecord["outcome"], message: string, reason?: DeploymentReport["reason"]): DeploymentReport => {
    record.outcome = outcome;
    return { ...who, outcome, ...(reason ? { reason } : {}), message: policy.scrub(message), record, elapsedMs: now() - started };
  };
  if (!provider.observeDeployment) return end("unknown", `deployment started; this platform cannot be asked how it ended`);
  const expired = () => now() >= policy.deadline || policy.signal?.aborted === true;

  let seen: DeploymentObservation | null = null;
  let lastError = "";
  while (!seen || (seen.phase !== "succeeded" && seen.phase !== "failed" && seen.phase !== "cancelled")) {
    if (seen || lastError) {
      if (expired()) return end("timeout", `timed out after ${seconds(now() - started)} with the deployment still ${seen?.platformStatus ?? "not started"}${lastError ? ` (last error: ${lastError})` : ""}`, "DeploymentTimeout");
      await pause();
    }
    try {
      seen = await provider.observeDeployment(ticket);
      Object.assign(record, { id: seen.deploymentId, status: seen.platformStatus, startedAt: seen.startedAt, finishedAt: seen.finishedAt });
      onProgress?.(who, seen.phase === "queued" ? "queued" : seen.phase === "running" ? "deploying" : seen.phase === "succeeded" ? "deployed, checking it runs" : seen.platformStatus, now() - started);
    } catch (err) {
      lastError = errorMessage(err);
      if (!seen) seen = null;
    }
  }
  if (seen.phase !== "succeeded") {
    record.logTail = await logTail(provider, ticket, policy);
    return end("failed", `the deployment failed (platform status: ${seen.platformStatus})`, "DeploymentFailed");
  }
  return waitForRuntime(provider, ticket, who, policy, { record, end, pause, expired, onProgress, started, now });
}

interface RuntimeLoop {
  record: DeploymentRecord;
  end: (outcome: DeploymentRecord["outcome"], message: string, reason?: DeploymentReport["reason"]) => DeploymentReport;
  pause: () => Promise<void>;
  expired: () => boolean;
  onProgress?: WaitProgress;
  started: number;
  now: () => number;
}

/** After a successful deployment: until the platform says the application runs, fails, or cannot tell. */
async function waitForRuntime(provider: Provider, ticket: DeploymentTicket, who: WaitSubject, policy: WaitPolicy, loop: RuntimeLoop): Promise<DeploymentReport> {
  if (!provider.readRuntime) return loop.end("succeeded", `deployed`);
  let unknown = 0;
  let last: RuntimeObservation | null = null;
  for (;;) {
    try {
      last = await provider.readRuntime(ticket.appId);
      loop.onProgress?.(who, last.state === "running" ? "running" : `starting (${last.detail})`, loop.now() - loop.started);
    } catch (err) {
      last = { state: "unknown", detail: errorMessage(err) };
    }
    if (last.state === "running") return loop.end("succeeded", `deployed and running (${last.detail})`);
    if (last.state === "failed") {
      loop.record.status = last.detail;
      loop.record.logTail = await logTail(provider, ticket, policy);
      return loop.end("failed", `deployed, but the application is not running (platform status: ${last.detail})`, "HealthCheckFailed");
    }
    unknown = last.state === "unknown" ? unknown + 1 : 0;
    if (unknown >= (policy.unknownPolls ?? 3)) return loop.end("unknown", `deployed; whether it runs is unknown (${last.detail})`);
    if (loop.expired()) return loop.end("timeout", `timed out after ${seconds(loop.now() - loop.started)}: deployed, but not running yet (${last.detail})`, "DeploymentTimeout");
    await loop.pause();
  }
}

async function logTail(provider: Provider, ticket: DeploymentTicket, policy: WaitPolicy): Promise<string[]> {
  if (!provider.readDeploymentLog) return [];
  try {
    return (await provider.readDeploymentLog(ticket, policy.logLines ?? 20)).map((line) => policy.scrub(line));
  } catch (err) {
    return [`(the deployment log could not be read: ${policy.scrub(errorMessage(err))})`];
  }
}

/** seconds formats a duration for people: `42s`, `2m05s`. */
export function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** appOfSubject is the application name of a subject such as `stack/shop app/web`. */
export function appOfSubject(subject: string): string {
  const match = / app\/([^ ]+)/.exec(subject);
  return match ? match[1]! : subject;
}
