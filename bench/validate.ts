/**
 * Benchmark of `stackctl validate` as users run it (not a test: `npm run bench:validate`, or
 * `node bench/validate.ts [RUNS]`). Writes 1,000 and 10,000 generated Stack manifests to disk, one per file, builds
 * the CLI (`npm run build`), and times whole processes: `stackctl validate DIR` (the built dist/cmd/bin.js: start-up,
 * the file walk, decoding, parsing, the zod model, defaults and the cross-manifest rules) against
 * bench/lib/parse-files.ts (the same files read synchronously and parsed with `yaml` alone). Runs are paired — each
 * validate run next to a parse run, in alternating order — and the ratio is the median of the pairs' ratios, which a
 * shared machine disturbs less than separate bests. Wall and CPU time (user + system, of the child) are both
 * reported; the target, a ratio of at most 1.5, is judged on CPU, which other processes disturb least. Also times process
 * start-up: Node alone, the parser on one file, and stackctl on one file. Prints markdown for bench/README.md.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(root, "dist/cmd/bin.js");
const PARSE = join(root, "bench/lib/parse-files.ts");
const TARGET = 1.5;
const runs = Number(process.argv[2] ?? 7);

/** A realistic manifest: three applications, env with secrets, domains, volumes and a health check. */
function manifest(i: number): string {
  return `# yaml-language-server: $schema=../schemas/stack.v1alpha1.json
apiVersion: stackctl.dev/v1alpha1
kind: Stack
metadata:
  name: user-${i}
  labels:
    team: team-${i % 17}
spec:
  project: workspaces-${i}
  environment: production
  dependsOn: ${i > 1 && i % 10 > 1 ? `[user-${i - 2}]` : "[]"}
  applications:
    - name: ide
      image: ghcr.io/coder/code-server:4.96.4
      env:
        TZ: Europe/Berlin
        PASSWORD: { secret: IDE_PASSWORD_${i} }
      ports: [8080]
      domains:
        - host: user-${i}.ai.example.com
      volumes:
        - name: workspace-${i}
          mountPath: /home/coder/project
      resources: { cpu: 2, memory: 4Gi }
      healthcheck:
        path: /healthz
    - name: api
      git:
        url: https://github.com/acme/api.git
        branch: main
        build: { type: dockerfile }
      ports: [3000]
      domains:
        - host: user-${i}.ai.example.com
          path: /api
    - name: db
      image: postgres:17
      env:
        POSTGRES_PASSWORD: { secret: DB_PASSWORD_${i} }
      volumes:
        - name: db-${i}
          mountPath: /var/lib/postgresql/data
`;
}

function writeManifests(dir: string, n: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `user-${i}.yaml`), manifest(i));
}

/**
 * CPU time (user + system, ms) of the children this process has waited for, from /proc/self/stat (cutime and
 * cstime, in clock ticks of 10 ms); null where there is no /proc.
 */
function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3, `state`
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

/** Wall and CPU time of one process in milliseconds; it must exit with `expected`. */
function timed(args: string[], expected = 0): { wall: number; cpu: number | null } {
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const wall = performance.now() - start;
  const cpuAfter = childrenCpuMs();
  if (run.status !== expected) throw new Error(`${args.join(" ")} exited ${run.status}: ${run.stdout}${run.stderr}`);
  return { wall, cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
const scratch = mkdtempSync(join(tmpdir(), "stackctl-bench-validate-"));
try {
  const one = join(scratch, "one");
  writeManifests(one, 1);
  const startup = { node: [] as number[], parse: [] as number[], stackctl: [] as number[] };
  for (let r = 0; r < runs; r++) {
    startup.node.push(timed(["-e", "0"]).wall);
    startup.parse.push(timed([PARSE, one]).wall);
    startup.stackctl.push(timed([BIN, "validate", one]).wall);
  }
  const rows: string[] = [];
  for (const n of [1_000, 10_000]) {
    const dir = join(scratch, String(n));
    writeManifests(dir, n);
    timed([PARSE, dir]), timed([BIN, "validate", dir]); // warm the page cache and the compile cache
    const pairs: { parse: ReturnType<typeof timed>; validate: ReturnType<typeof timed> }[] = [];
    for (let r = 0; r < runs; r++) {
      // Alternate which of the pair goes first, so that neither always runs on a warmer or quieter machine.
      if (r % 2 === 0) {
        const parse = timed([PARSE, dir]);
        pairs.push({ parse, validate: timed([BIN, "validate", dir]) });
      } else {
        const validate = timed([BIN, "validate", dir]);
        pairs.push({ parse: timed([PARSE, dir]), validate });
      }
    }
    const wallRatios = pairs.map((p) => p.validate.wall / p.parse.wall);
    const cpuRatios = pairs.every((p) => p.parse.cpu && p.validate.cpu !== null) ? pairs.map((p) => p.validate.cpu! / p.parse.cpu!) : null;
    const cell = (ratios: number[]) => `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
    // The verdict is on CPU time where it is known: on a shared machine, wall time measures the neighbours too.
    const within = median(cpuRatios ?? wallRatios) <= TARGET;
    rows.push(
      `| ${n.toLocaleString("en-US")} | ${secs(median(pairs.map((p) => p.parse.wall)))} | ${secs(median(pairs.map((p) => p.validate.wall)))} | ${cell(wallRatios)} | ` +
        (cpuRatios ? `${secs(median(pairs.map((p) => p.parse.cpu!)))} | ${secs(median(pairs.map((p) => p.validate.cpu!)))} | ${cell(cpuRatios)}` : "n/a | n/a | n/a") +
        ` | ${within ? "yes" : "**no**"} |`,
    );
  }
  process.stdout.write(
    [
      `Node ${process.version}, ${process.platform}/${process.arch}; ${runs} paired runs per row, medians (ranges of the pairs' ratios); one manifest (3 applications) per file.`,
      "",
      "| manifests | `yaml` alone: wall | `stackctl validate`: wall | validate / parse, wall | `yaml` alone: CPU | `stackctl validate`: CPU | validate / parse, CPU | within 1.5× (CPU) |",
      "|---:|---:|---:|---:|---:|---:|---:|:---:|",
      ...rows,
      "",
      "| process start-up (one manifest), wall | median |",
      "|---|---:|",
      `| \`node -e 0\` | ${Math.round(median(startup.node))} ms |`,
      `| \`yaml\` alone | ${Math.round(median(startup.parse))} ms |`,
      `| \`stackctl validate\` | ${Math.round(median(startup.stackctl))} ms |`,
      "",
    ].join("\n"),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
