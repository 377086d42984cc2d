/**
 * A small Dockerfile reader for static checks (no Docker engine exists on the development machines): instructions
 * with their line, grouped into stages. It understands what our Dockerfile uses — comments, line continuations,
 * exec (JSON) and shell forms, `KEY=value` ENV — and nothing more exotic (heredocs, parser directives, escapes).
 */

/** One instruction: upper-cased keyword, the raw argument text (continuations joined) and its first line. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** A build stage: the image it starts FROM, its optional `AS` name and its instructions (FROM excluded). */
export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** parseDockerfile splits `text` into instructions; comment lines are dropped, even inside a continuation. */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith("#") || (trimmed === "" && !pending)) return;
    const continued = trimmed.endsWith("\\");
    const body = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { parts: [], line: i + 1 };
    if (body) pending.parts.push(body);
    if (continued) return;
    const joined = pending.parts.join(" ");
    const match = /^(\S+)\s*(.*)$/.exec(joined);
    if (match) out.push({ keyword: match[1]!.toUpperCase(), args: match[2]!, line: pending.line });
    pending = undefined;
  });
  return out;
}

/** stagesOf groups instructions by FROM; instructions before the first FROM (ARG) are ignored. */
export function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      const as = words.findIndex((w) => w.toUpperCase() === "AS");
      stages.push({ from: words[0] ?? "", name: as >= 0 ? words[as + 1] : undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return stages;
}

/** execForm returns the JSON array of an exec-form argument, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith("[")) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
  } catch {
    return undefined;
  }
}

/** flagsAndWords splits `--flag=value` options from the other words of a shell-form argument. */
export function flagsAndWords(args: string): { flags: Map<string, string>; words: string[] } {
  const flags = new Map<string, string>();
  const words: string[] = [];
  for (const w of args.split(/\s+/).filter(Boolean)) {
    const flag = /^--([a-z-]+)(?:=(.*))?$/.exec(w);
    if (flag) flags.set(flag[1]!, flag[2] ?? "");
    else words.push(w);
  }
  return { flags, words };
}

/** envOf reads the `ENV` instructions of a stage (`KEY=value ...` and the legacy `KEY value`), later ones winning. */
export function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const ins of stage.instructions.filter((i) => i.keyword === "ENV")) {
    if (!ins.args.includes("=")) {
      const [key, ...rest] = ins.args.split(/\s+/);
      if (key) env.set(key, rest.join(" "));
      continue;
    }
    for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)) {
      env.set(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, "$2"));
    }
  }
  return env;
}
