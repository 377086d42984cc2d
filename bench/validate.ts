/**
 * Benchmark of `stackctl validate` (not a test: run `node bench/validate.ts`). Generates 1,000 and 10,000 Stack
 * manifests in memory, one per file, and compares YAML parsing alone (parse + toJS, what any loader pays) with the
 * full validation (decoding, parsing, the zod model, defaults and the cross-manifest rules). Prints a markdown
 * table; the target is validation at most 1.5 times the cost of parsing alone.
 */
import { parseAllDocuments } from "yaml";
import { loadSources } from "../specs/load.ts";
import type { Source } from "../specs/sources.ts";

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
  target: ${i % 2 === 0 ? "eu" : "us"}
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

const encoder = new TextEncoder();

function sources(n: number): Source[] {
  return Array.from({ length: n }, (_, i) => ({ file: `stacks/user-${i}.yaml`, bytes: encoder.encode(manifest(i)) }));
}

const decoder = new TextDecoder();

function parseOnly(input: readonly Source[]): void {
  for (const s of input) for (const doc of parseAllDocuments(decoder.decode(s.bytes))) doc.toJS();
}

function validate(input: readonly Source[]): void {
  const result = loadSources(input);
  if (result.errors.length > 0) throw new Error(`generated manifests are invalid: ${JSON.stringify(result.errors[0])}`);
}

// Best of `runs`: the minimum is the least disturbed by other processes on a shared machine.
function time(fn: () => void, runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const rows: string[] = [];
for (const n of [1_000, 10_000]) {
  const input = sources(n);
  const runs = n <= 1_000 ? 5 : 2;
  time(() => parseOnly(input.slice(0, 200)), 1);
  time(() => validate(input.slice(0, 200)), 1);
  const parse = time(() => parseOnly(input), runs);
  const full = time(() => validate(input), runs);
  const rate = (ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");
  rows.push(`| ${n.toLocaleString("en-US")} | ${rate(parse)}/s (${(parse / 1000).toFixed(2)} s) | ${rate(full)}/s (${(full / 1000).toFixed(2)} s) | ${(full / parse).toFixed(2)}× |`);
}
process.stdout.write(
  [
    `Node ${process.version}, ${process.platform}/${process.arch}; one manifest (3 applications) per file, in memory.`,
    "",
    "| manifests | YAML parsing alone | full validation | validation / parsing |",
    "|---:|---:|---:|---:|",
    ...rows,
    "",
  ].join("\n"),
);
