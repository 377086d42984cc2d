/**
 * The plan renderer: one plan, several formats. `text` for terminals and CI logs, `json` for machines (versioned),
 * `markdown` for pull requests and job summaries. Every format prints the same changes, in the same order, with
 * the same counts, and never an operation (which may hold secrets).
 */
export { renderPlanText } from "./text.ts";
export type { TextOptions } from "./text.ts";
export { renderPlanMarkdown } from "./markdown.ts";
export type { MarkdownOptions, MarkdownTarget } from "./markdown.ts";
export { PLAN_FORMAT_VERSION, errorToJson, planToJson } from "./json.ts";
export { ACTION_ORDER, countsPhrase, planCounts, summaryLine } from "./document.ts";
export { formatBytes, formatDuration } from "./values.ts";
