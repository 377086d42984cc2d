/**
 * `stackctl validate [--format text|json|github] [--config FILE] [--provider dokploy|coolify] [PATH...]`: checks
 * Stack manifests and prints every error of every file; when the targets are known (validate-targets.ts), also
 * what their platforms cannot express. Exit 0 when valid, 1 when a manifest is invalid, 2 for a usage error, a
 * broken configuration or a path that cannot be read.
 */
import type { ManifestError } from "../specs/errors.ts";
import { isIOError } from "../specs/errors.ts";
import type { LoadResult } from "../specs/loaded.ts";
import { loadManifests } from "../specs/load.ts";
import type { Format } from "../specs/report.ts";
import { FORMATS, formatGithub, formatJson, formatText } from "../specs/report.ts";
import { MAX_FILE_BYTES } from "../specs/sources.ts";
import type { ProviderKind } from "../controller/capabilities.ts";
import { configurationPresent } from "./config-path.ts";
import type { CliIO, Verb } from "./io.ts";
import { EXIT_USAGE } from "./io.ts";
import type { ProviderCheckResult } from "./validate-targets.ts";
import { limitResult } from "./limit-result.ts";
import type { StackLimit } from "./targeting.ts";
import { parseLimit, TargetingError } from "./targeting.ts";

const PROVIDER_KINDS: readonly ProviderKind[] = ["dokploy", "coolify"];

/** The one line validate prints when it knows no target. */
export const SPEC_ONLY_NOTE = "note: checked the manifests only, not what Dokploy or Coolify can express: no ControllerConfig (--config, STACKCTL_CONFIG, ./stackctl.yaml) and no --provider dokploy|coolify\n";

const HELP = `usage: stackctl validate [--format text|json|github] [--config FILE] [--provider dokploy|coolify] [--stack NAME] [--selector K=V] [--exclude PATTERN] [PATH...]

Checks Stack manifests: YAML syntax, the Stack model (unknown fields included) and the rules across manifests
(unique names, environments and domains; dependsOn; domain ports). Reports every error of every file.
When the targets are known, also checks offline what each target's platform can express (the provider.unsupported
errors 'diff' would report): from the ControllerConfig 'diff' reads (--config, STACKCTL_CONFIG, ./stackctl.yaml,
or DOKPLOY_URL / COOLIFY_URL), or from --provider for stacks it does not place. No credential or secret is read.

PATH      a file, a directory (searched recursively for .yaml and .yml, hidden directories and node_modules
          skipped) or - for standard input. Default: the current directory.
          Documents of other APIs (apiVersion and kind of Kubernetes, ...) and ControllerConfigs are skipped with
          a note; any other document (a list, plain text, a mapping without apiVersion and kind) is an error, since
          while it is there no stack is torn down. Paths listed in .stackctlignore (gitignore syntax, at the root of
          a directory given) are left out.

options:
  --format text     file:line:col: error path: message [code] (default; colour on a terminal unless NO_COLOR)
  --format json     a stable JSON object: { formatVersion, valid, files, stacks, errors, notes, ... }
  --format github   GitHub Actions workflow commands: errors become annotations on the pull request
  --config FILE     the ControllerConfig whose targets to check against
  --provider KIND   dokploy or coolify: the platform of stacks without a configured target
  --stack NAME      check only this stack (repeatable)
  --selector K=V    check only stacks whose labels match (k=v[,k=v], all must match)
  --exclude PATTERN leave paths out (gitignore syntax, repeatable; adds to .stackctlignore)
  -h, --help        show this help

Files larger than ${MAX_FILE_BYTES / 1048576} MiB are rejected.
exit status: 0 valid, 1 invalid, 2 usage or I/O error
`;

type Parsed = { help: true } | { help?: false; format: Format; paths: string[]; config?: string; provider?: ProviderKind; limit: StackLimit | null; exclude: string[] } | { error: string };

/** The value of `--name VALUE` or `--name=VALUE` at `args[i]`; undefined when args[i] is another option. */
function optionValue(args: readonly string[], i: number, name: string): { value: string | undefined; next: number } | undefined {
  const arg = args[i]!;
  if (arg === `--${name}`) return { value: args[i + 1], next: i + 1 };
  if (arg.startsWith(`--${name}=`)) return { value: arg.slice(name.length + 3), next: i };
  return undefined;
}

function parseArgs(args: readonly string[]): Parsed {
  let format: Format = "text";
  let config: string | undefined;
  let provider: ProviderKind | undefined;
  const paths: string[] = [];
  const lists: Record<"stack" | "selector" | "exclude", string[]> = { stack: [], selector: [], exclude: [] };
  for (let i = 0; i < args.length; i++) {
    const listed = (["stack", "selector", "exclude"] as const).map((name) => [name, optionValue(args, i, name)] as const).find(([, v]) => v !== undefined);
    if (listed) {
      const [name, { value, next }] = listed as [keyof typeof lists, { value: string | undefined; next: number }];
      if (value === undefined) return { error: `--${name} needs a value` };
      lists[name].push(value);
      i = next;
      continue;
    }
    const arg = args[i]!;
    if (arg === "--") {
      paths.push(...args.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") return { help: true };
    if (arg === "--format" || arg.startsWith("--format=")) {
      const value = arg === "--format" ? args[++i] : arg.slice("--format=".length);
      if (value === undefined) return { error: "--format needs a value: text, json or github" };
      if (!(FORMATS as readonly string[]).includes(value)) return { error: `unknown format '${value}': expected text, json or github` };
      format = value as Format;
      continue;
    }
    if (arg === "--config" || arg.startsWith("--config=")) {
      config = arg === "--config" ? args[++i] : arg.slice("--config=".length);
      if (!config) return { error: "--config needs a file" };
      continue;
    }
    if (arg === "--provider" || arg.startsWith("--provider=")) {
      const value = arg === "--provider" ? args[++i] : arg.slice("--provider=".length);
      if (!(PROVIDER_KINDS as readonly (string | undefined)[]).includes(value)) return { error: `--provider must be dokploy or coolify${value ? `, not '${value}'` : ""}` };
      provider = value as ProviderKind;
      continue;
    }
    if (arg.startsWith("-") && arg !== "-") return { error: `unknown option '${arg}'` };
    paths.push(arg);
  }
  let limit: StackLimit | null;
  try {
    limit = parseLimit(lists.stack, lists.selector);
  } catch (err) {
    if (err instanceof TargetingError) return { error: err.message };
    throw err;
  }
  return { format, paths, ...(config ? { config } : {}), ...(provider ? { provider } : {}), limit, exclude: lists.exclude };
}

/** run implements the verb; see the file comment for its contract. */
export const run: Verb = async (args: string[], io: CliIO): Promise<number> => {
  const parsed = parseArgs(args);
  if ("error" in parsed) {
    io.stderr(`stackctl validate: ${parsed.error}\n${HELP.split("\n")[0]}\nRun 'stackctl validate --help' for details.\n`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    io.stdout(HELP);
    return 0;
  }
  // The provider checks' code (configuration, desired state, capabilities) is loaded only when there is a target.
  const targeted = parsed.provider !== undefined || configurationPresent(parsed.config, io.env, io.cwd);
  const checks = targeted ? await import("./validate-targets.ts") : undefined;
  let targets;
  try {
    targets = checks?.findValidateTargets(parsed.config, parsed.provider, io.env, io.cwd);
  } catch (err) {
    const { ConfigError } = await import("./config.ts");
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`stackctl validate: ${err.message} [${err.code}]\n`);
    return EXIT_USAGE;
  }
  const loaded = await loadManifests(parsed.paths.length > 0 ? parsed.paths : ["."], { cwd: io.cwd, readStdin: io.readStdin, exclude: parsed.exclude });
  const checked: ProviderCheckResult = checks && targets ? checks.checkProviders(loaded, targets) : { errors: [], providerOf: new Map() };
  const result = limitResult(withErrors(loaded, checked.errors), parsed.limit);
  if (!targets?.config && !targets?.fallback && parsed.format !== "json") io.stderr(SPEC_ONLY_NOTE);
  if (parsed.format === "json") io.stdout(formatJson(result, (s) => checked.providerOf.get(s) ?? null));
  else if (parsed.format === "github") io.stdout(formatGithub(result));
  else io.stdout(formatText(result, io.isTTY && !io.env.NO_COLOR));
  if (result.errors.some(isIOError)) return EXIT_USAGE;
  return result.errors.length > 0 ? 1 : 0;
};

/** The result with the provider checks' errors merged in, in file and line order as the loader sorts them. */
function withErrors(result: LoadResult, errors: readonly ManifestError[]): LoadResult {
  if (errors.length === 0) return result;
  const order = new Map(result.files.map((f, i) => [f, i]));
  const all = [...result.errors, ...errors].sort((a, b) => (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1) || a.line - b.line || a.column - b.column);
  const names = errors.flatMap((e) => (e.subject ? [e.subject.split(" ")[0]!.slice("stack/".length)] : []));
  return {
    ...result,
    errors: all,
    failedStackNames: [...new Set([...result.failedStackNames, ...names])].sort(),
    failedFiles: [...new Set(all.map((e) => e.file))],
  };
}
