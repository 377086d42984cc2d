/**
 * Errors of manifest sources. Messages are scrubbed of credentials before they are built, because they end up in
 * logs, in `lastError` of every stack's status and in the API.
 */

import { createScrubber } from "../scrub.ts";

/** The stable codes of SourceError. */
export type SourceErrorCode = "source.fetch-failed" | "source.path-missing" | "source.invalid-config";

/** A source that could not produce manifests. `subject` names the source (`source/git https://host/repo#main`). */
export class SourceError extends Error {
  readonly code: SourceErrorCode;
  readonly subject: string;

  constructor(code: SourceErrorCode, subject: string, message: string) {
    // No `cause`: the underlying error's text may carry credentials that only `scrub` has removed.
    super(`${subject}: ${message}`);
    this.name = "SourceError";
    this.code = code;
    this.subject = subject;
  }
}

/** isSourceError narrows an unknown thrown value, optionally to one code. */
export function isSourceError(err: unknown, code?: SourceErrorCode): err is SourceError {
  return err instanceof SourceError && (code === undefined || err.code === code);
}

/**
 * scrubCredentials removes URL user-info (`https://user:pass@host` → `https://[redacted]@host`, a password holding
 * `@` included) and every literal secret from `text`; secrets shorter than 4 characters are ignored so that
 * scrubbing does not shred ordinary words. The process-wide scrubber (controller/scrub.ts) does the same by value.
 */
export function scrubCredentials(text: string, secrets: readonly string[]): string {
  return createScrubber(secrets).text(text);
}
