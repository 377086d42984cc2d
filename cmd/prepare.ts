/**
 * What `diff` and `apply` share: read the configuration and the manifests, resolve secrets, build one provider per
 * target, observe and plan. Both verbs then print the same plans; `apply` also executes them.
 */
import { buildDesired } from "../controller/desired.ts";
import type { TargetPlan, TargetRuntime } from "../controller/engine.ts";
import { planTargets } from "../controller/engine.ts";
import type { StackError } from "../controller/errors.ts";
import { createScrubber, scrubbingResolver } from "../controller/scrub.ts";
import type { Scrubber } from "../controller/scrub.ts";
import { createSecretResolver, describeSecretSources } from "../controller/secrets.ts";
import type { ManifestError } from "../specs/errors.ts";
import type { CliIO } from "./io.ts";
import type { LoadedConfig } from "./config.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { configCredentials, secretSourcesOf } from "./credentials.ts";
import { EXIT_USAGE } from "./io.ts";
import { readStacks } from "./manifests.ts";
import { createProvider } from "./providers.ts";
import type { StackLimit } from "./targeting.ts";
import { errorInLimit, inLimit, readsWholeSource, TARGETING_OPTIONS, TargetingError, parseLimit } from "./targeting.ts";

/** Options common to the verbs that plan. */
export interface PlanFlags {
  paths: string[];
  config?: string;
  allowMassDeletion: boolean;
  /** `--stack` / `--selector`: only these stacks are planned, and nothing is torn down. */
  limit?: StackLimit | null;
  /** `--exclude`: paths left out, in gitignore syntax. */
  exclude?: readonly string[];
}

/** Everything a verb needs after planning. */
export interface Prepared {
  config: LoadedConfig;
  targets: TargetRuntime[];
  plans: TargetPlan[];
  /** Manifest and secret errors, printed before the plans. */
  errors: StackError[];
  /** Manifest errors, as `validate` reports them. */
  manifestErrors: ManifestError[];
  /** Stacks with `spec.suspend: true`: neither planned nor torn down, as the controller treats them. */
  suspended: string[];
  /** Knows every credential and every secret resolved: whatever the verb prints passes through it. */
  scrub: Scrubber;
}

/** prepare loads, resolves and plans; throws ConfigError for configuration problems (exit 2). */
export async function prepare(flags: PlanFlags, io: CliIO, scrub: Scrubber = createScrubber()): Promise<Prepared> {
  const config = loadConfig(flags.config, io.env, io.cwd);
  const credentials = configCredentials(config, undefined, io.env);
  scrub.add(...credentials.values);
  const paths = flags.paths.length > 0 ? flags.paths : ["."];
  const loaded = await readStacks(paths, io, flags.exclude ?? []);
  const limit = flags.limit ?? null;
  const unknown = [...(limit?.names ?? [])].filter((name) => !loaded.stacks.some((s) => s.stack.metadata.name === name) && !loaded.failedStacks.includes(name));
  if (unknown.length > 0) throw new TargetingError(`--stack: no stack named ${unknown.join(", ")} in ${paths.join(" ")}`);
  // Only the directories of the source declare every stack: a file given by name, or a limit, speaks for some.
  const whole = await readsWholeSource(paths, io.cwd);
  const declared = whole ? new Set([...loaded.stacks.map((s) => s.stack.metadata.name), ...loaded.failedStacks]) : undefined;
  const labelsOf = (name: string) => loaded.stacks.find((s) => s.stack.metadata.name === name)?.stack.metadata.labels;
  const inScope = loaded.stacks.filter((s) => inLimit(limit, s.stack.metadata.name, s.stack.metadata.labels));
  const sources = secretSourcesOf(config, io.env, credentials);
  const suspended = inScope.filter((s) => s.stack.spec.suspend).map((s) => s.stack.metadata.name);
  const desired = buildDesired(inScope.filter((s) => !s.stack.spec.suspend), {
    targets: config.targets.map((t) => t.config.name),
    resolveSecret: scrubbingResolver(createSecretResolver(sources), scrub),
    describeSecret: (name) => describeSecretSources(name, sources),
    policy: config.policy,
  });
  const targets = config.targets.map((t) => ({ name: t.config.name, provider: createProvider(t) }));
  const plans = await planTargets({
    instance: config.instance,
    targets,
    desired: desired.stacks,
    failedStacks: [...[...loaded.failedStacks, ...suspended].map((name) => ({ name, target: null })), ...desired.failedStacks],
    suspendTeardown: loaded.suspendTeardown || !whole || limit !== null,
    allowMassDeletion: flags.allowMassDeletion,
    ...(declared ? { declared } : {}),
  });
  return { config, targets, plans, errors: desired.errors, manifestErrors: loaded.errors.filter((e) => errorInLimit(limit, e, labelsOf)), suspended, scrub };
}

/** suspendedNotes tells which stacks were left alone because they are suspended, one line each. */
export function suspendedNotes(p: Prepared): string {
  return p.suspended.map((name) => `note: stack/${name} is suspended (spec.suspend): left untouched\n`).join("");
}

/** The command-line options every planning verb takes, for `parseArgs`. */
export const PLAN_OPTIONS = {
  config: { type: "string" },
  "allow-mass-deletion": { type: "boolean", default: false },
  help: { type: "boolean", default: false },
  ...TARGETING_OPTIONS,
} as const;

/** The help text of the options every planning verb shares. */
export const PLAN_OPTIONS_HELP = `  --stack NAME            plan only this stack (repeatable); nothing is torn down
  --selector k=v[,k=v]    plan only stacks whose labels match all pairs; nothing is torn down
  --exclude PATTERN       leave paths out (gitignore syntax, repeatable; adds to .stackctlignore)
  --allow-mass-deletion   allow plans that delete most of what exists, or every application of a stack

Stacks absent from the input are torn down only when every PATH is a directory (the whole source) and no
--stack or --selector is given: a file given by name plans the stacks in it and nothing else.
`;

/**
 * planWith prepares the plans for `verb` from its parsed options and hands them to `use` with an `io` whose output
 * is scrubbed of every credential and resolved secret: verbs print through that `io` only. A configuration problem
 * is printed as a usage error (exit 2); anything else propagates to the entry point, scrubbed.
 */
export async function planWith(
  verb: string,
  parsed: { positionals: string[]; values: { config?: string; "allow-mass-deletion"?: boolean; stack?: string[]; selector?: string[]; exclude?: string[] } },
  io: CliIO,
  use: (prepared: Prepared, io: CliIO) => number | Promise<number>,
): Promise<number> {
  const scrub = createScrubber();
  const out = scrubbedIO(io, scrub);
  try {
    const { values } = parsed;
    const limit = parseLimit(values.stack, values.selector);
    const prepared = await prepare({ paths: parsed.positionals, config: values.config, allowMassDeletion: values["allow-mass-deletion"] ?? false, limit, exclude: values.exclude ?? [] }, io, scrub);
    return await use(prepared, out);
  } catch (err) {
    if (err instanceof TargetingError) {
      out.stderr(`stackctl ${verb}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (!(err instanceof ConfigError)) {
      if (err instanceof Error) err.message = scrub.text(err.message), err.stack &&= scrub.text(err.stack);
      throw err;
    }
    out.stderr(`stackctl ${verb}: ${err.message} [${err.code}]\n`);
    return EXIT_USAGE;
  }
}

/** scrubbedIO is `io` with both output streams passed through `scrub`. */
export function scrubbedIO(io: CliIO, scrub: Scrubber): CliIO {
  return { ...io, stdout: (t) => io.stdout(scrub.text(t)), stderr: (t) => io.stderr(scrub.text(t)) };
}
