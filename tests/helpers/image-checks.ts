/**
 * What the Dockerfile must get right, as checks that return their problems (an empty list passes). They take the
 * repository through `RepoView` so that tests can run each check against a broken Dockerfile and see it fail.
 */
import { matchesGlob } from "node:path";
import { envOf, execForm, flagsAndWords, parseDockerfile, stagesOf } from "./dockerfile.ts";
import type { Instruction, Stage } from "./dockerfile.ts";

/** What the checks need from the repository. */
export interface RepoView {
  /** exists reports whether a path relative to the build context exists. */
  exists(path: string): boolean;
  /** The patterns of `.dockerignore`, comments and blank lines removed. */
  dockerignore: string[];
  /** package.json `bin.stackctl`, e.g. `dist/cmd/bin.js`. */
  bin: string;
  /** The folders tsconfig.build.json compiles into dist/ (`include`). */
  buildIncludes: string[];
}

/** A parsed Dockerfile with its stages; `final` is the runtime stage. */
export interface Image {
  stages: Stage[];
  final: Stage;
}

/** readImage parses a Dockerfile; a file without FROM yields an empty final stage, which every check then rejects. */
export function readImage(text: string): Image {
  const stages = stagesOf(parseDockerfile(text));
  return { stages, final: stages.at(-1) ?? { from: "", instructions: [] } };
}

const NODE_24_SLIM = /^node:24(?:\.\d+){0,2}(?:-[a-z]+)?-slim(?:@sha256:[0-9a-f]{64})?$/;

function all(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

function last(stage: Stage, keyword: string): Instruction | undefined {
  return all(stage, keyword).at(-1);
}

/** The checks, by name; each returns human-readable problems. */
export const imageChecks = {
  /** A build stage keeps the compiler and dev dependencies out of the runtime image. */
  multiStage: (img: Image) => (img.stages.length >= 2 ? [] : [`${img.stages.length} stage(s); expected a build stage and a runtime stage`]),

  finalIsNode24Slim: (img: Image) => (NODE_24_SLIM.test(img.final.from) ? [] : [`final stage FROM ${img.final.from || "(none)"}; expected node:24-slim`]),

  /** A COPY of a missing or dockerignored path fails the build, which no test would otherwise notice here. */
  copySourcesExist(img: Image, repo: RepoView): string[] {
    const problems: string[] = [];
    for (const ins of img.stages.flatMap((s) => s.instructions).filter((i) => i.keyword === "COPY" || i.keyword === "ADD")) {
      const exec = execForm(ins.args);
      const { flags, words } = exec ? { flags: new Map<string, string>(), words: exec } : flagsAndWords(ins.args);
      if (flags.has("from")) continue;
      for (const src of words.slice(0, -1)) {
        const path = src.replace(/^\.\//, "").replace(/\/$/, "");
        if (!repo.exists(path)) problems.push(`line ${ins.line}: COPY source ${src} does not exist`);
        const pattern = repo.dockerignore.find((p) => !p.startsWith("!") && (matchesGlob(path, p) || path.startsWith(`${p.replace(/\/$/, "")}/`)));
        if (pattern) problems.push(`line ${ins.line}: COPY source ${src} is excluded by .dockerignore (${pattern})`);
      }
    }
    return problems;
  },

  /**
   * The stage that runs `npm ci` (whose `prepare` compiles dist/) copies every folder the build compiles, whole:
   * dist/ must hold what the source does, the simulators' contract files (JSON modules the compiler copies) included.
   */
  buildCopiesWhatItCompiles(img: Image, repo: RepoView): string[] {
    const build = img.stages.find((s) => all(s, "RUN").some((r) => /\bnpm ci\b/.test(r.args)));
    if (!build) return ["no stage runs npm ci, which compiles dist/"];
    const copied = new Set(all(build, "COPY").flatMap((ins) => {
      const words = execForm(ins.args) ?? flagsAndWords(ins.args).words;
      return words.slice(0, -1).map((w) => w.replace(/^\.\//, "").replace(/\/$/, ""));
    }));
    const needed = [...repo.buildIncludes, "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"];
    return needed.filter((p) => !copied.has(p)).map((p) => `the build stage (FROM ${build.from}) does not copy ${p}, which the build needs`);
  },

  /** The last USER before ENTRYPOINT decides who the controller runs as. */
  nonRootUser(img: Image): string[] {
    const entry = last(img.final, "ENTRYPOINT");
    const user = all(img.final, "USER").filter((u) => !entry || u.line < entry.line).at(-1);
    if (!user) return ["no USER in the final stage before ENTRYPOINT: the image would run as root"];
    const name = user.args.trim().split(":")[0];
    return name === "root" || name === "0" ? [`line ${user.line}: USER ${user.args} is root`] : [];
  },

  /** Exec form, so node is PID 1 and gets SIGTERM; the script is the package's own `bin`. */
  entrypointRunsStackctl(img: Image, repo: RepoView): string[] {
    const entry = last(img.final, "ENTRYPOINT");
    const argv = entry && execForm(entry.args);
    if (!argv) return [`ENTRYPOINT ${entry?.args ?? "(none)"} is not in exec form`];
    return argv[0] === "node" && argv[1]?.endsWith(`/${repo.bin}`) ? [] : [`ENTRYPOINT ${entry.args} does not run node ${repo.bin}`];
  },

  cmdIsRun(img: Image): string[] {
    const cmd = last(img.final, "CMD");
    const argv = cmd && execForm(cmd.args);
    return argv?.length === 1 && argv[0] === "run" ? [] : [`CMD ${cmd?.args ?? "(none)"}; expected ["run"]`];
  },

  /** node:24-slim has no curl or wget, so a probe through them would always report unhealthy. */
  healthcheckOnHealthz(img: Image): string[] {
    const hc = last(img.final, "HEALTHCHECK");
    if (!hc || /^NONE\b/i.test(hc.args)) return ["no HEALTHCHECK in the final stage"];
    const cmd = hc.args.slice(hc.args.search(/\bCMD\b/) + 3).trim();
    const problems: string[] = [];
    if (!cmd.includes("/healthz")) problems.push("HEALTHCHECK does not probe /healthz");
    if (/\b(curl|wget)\b/.test(cmd)) problems.push("HEALTHCHECK uses curl or wget, which node:24-slim lacks");
    return problems;
  },

  /** The Git source runs git, over SSH for deploy keys. */
  installsGitAndSsh(img: Image): string[] {
    const installs = all(img.final, "RUN").map((r) => r.args).filter((a) => /apt-get install/.test(a)).join(" ");
    const words = new Set(installs.split(/\s+/));
    return ["git", "openssh-client", "ca-certificates"].filter((p) => !words.has(p)).map((p) => `${p} is not installed in the final stage`);
  },

  /** The data directory is a volume the non-root user owns, and the listen port is exposed. */
  dataVolumeAndPort(img: Image): string[] {
    const env = envOf(img.final);
    const dir = env.get("STACKCTL_DATA_DIR");
    const port = env.get("STACKCTL_LISTEN")?.split(":").pop();
    if (!dir || !port) return ["ENV STACKCTL_DATA_DIR and STACKCTL_LISTEN are not both set"];
    const problems: string[] = [];
    const volume = last(img.final, "VOLUME");
    const volumes = volume ? (execForm(volume.args) ?? volume.args.split(/\s+/)) : [];
    if (!volume || !volumes.includes(dir)) problems.push(`${dir} is not declared a VOLUME`);
    // A chown after VOLUME would be discarded, so it must come before.
    const chown = all(img.final, "RUN").find((r) => r.args.includes("chown") && r.args.includes(dir));
    if (!chown || (volume && chown.line > volume.line)) problems.push(`${dir} is not chowned before it is declared a VOLUME`);
    const exposed = all(img.final, "EXPOSE").flatMap((e) => e.args.split(/\s+/).map((p) => p.split("/")[0]));
    if (!exposed.includes(port)) problems.push(`port ${port} of STACKCTL_LISTEN is not EXPOSEd`);
    return problems;
  },
};
