/**
 * Errors the engine reports about a stack: a stable `code`, the `subject` they concern (`stack/alice app/web`),
 * and where in the manifest the cause lies when it is a field. They are data, collected per stack and printed by
 * every verb the same way, never thrown across stacks.
 */

/** One problem with one stack, found while planning or applying. */
export interface StackError {
  code: string;
  subject: string;
  message: string;
  /** The manifest file, when known. */
  file?: string;
  /** The field path in the manifest, e.g. `spec.applications[0].volumes`. */
  field?: string;
}

/** subjectOf formats the one subject notation used by logs, plans, errors and status. */
export function subjectOf(stack: string, ...parts: [kind: string, name: string][]): string {
  // Concatenated in place: this runs for every application of every plan, and arrays joined here were a tenth of a
  // 10,000-stack plan's garbage.
  let subject = `stack/${stack}`;
  for (const [kind, name] of parts) subject += ` ${kind}/${name}`;
  return subject;
}

/** formatStackError renders an error as one line: `file: field: subject: message [code]`. */
export function formatStackError(e: StackError): string {
  const where = [e.file, e.field].filter(Boolean).join(": ");
  return `${where ? `${where}: ` : ""}${e.subject}: ${e.message} [${e.code}]`;
}

/** errorMessage extracts a message from anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
