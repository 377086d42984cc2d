/**
 * Waiting for the deployments of one stack, for apply(): every deployment the stack started is followed at once
 * (each polls its own application), progress and outcomes become ApplyEvents, and each failure an error naming the
 * stack, the application, the platform's status and the end of the deployment log.
 */
import type { StackError } from "../errors.ts";
import type { Provider } from "../provider.ts";
import type { DeploymentTicket } from "./types.ts";
import type { DeploymentReport, WaitPolicy } from "./wait.ts";
import { appOfSubject, waitForDeployment } from "./wait.ts";

/** A deployment started by apply, with the change's subject. */
export interface StartedDeployment {
  subject: string;
  ticket: DeploymentTicket;
}

/** The events the stack's wait emits (the deploy-* members of ApplyEvent). */
export type DeployEvent =
  | { type: "deploy-progress"; stack: string; app: string; subject: string; status: string; elapsedMs: number }
  | { type: "deploy-done"; stack: string; app: string; subject: string; outcome: DeploymentReport["outcome"]; elapsedMs: number; message?: string };

/** waitForStack waits for every deployment of `stack`; returns the reports and the errors of the failed ones. */
export async function waitForStack(provider: Provider, stack: string, started: readonly StartedDeployment[], policy: WaitPolicy, emit?: (event: DeployEvent) => void): Promise<{ reports: DeploymentReport[]; errors: StackError[] }> {
  const reports = await Promise.all(started.map(({ subject, ticket }) => {
    const who = { stack, app: appOfSubject(subject), subject };
    let lastStatus = "";
    return waitForDeployment(provider, ticket, who, policy, (w, status, elapsedMs) => {
      // One event per change of phase, not per poll: a progress line is printed for each.
      if (status === lastStatus) return;
      lastStatus = status;
      emit?.({ type: "deploy-progress", stack, app: w.app, subject: w.subject, status, elapsedMs });
    }).then((report) => {
      emit?.({ type: "deploy-done", stack, app: report.app, subject: report.subject, outcome: report.outcome, elapsedMs: report.elapsedMs, message: report.message });
      return report;
    });
  }));
  const errors = reports.filter((r) => r.outcome === "failed" || r.outcome === "timeout").map(errorOf);
  return { reports, errors };
}

/** The error of a failed or timed-out deployment: its message, then the log tail, one line each (already scrubbed). */
export function errorOf(report: DeploymentReport): StackError {
  const code = report.outcome === "timeout" ? "deploy.timeout" : report.reason === "HealthCheckFailed" ? "deploy.unhealthy" : "deploy.failed";
  const tail = report.record.logTail.filter((l) => l.trim() !== "");
  const message = report.message + (tail.length > 0 ? `\n  log:\n${tail.map((l) => `    ${l}`).join("\n")}` : "");
  return { code, subject: report.subject, message };
}
