/**
 * The end-to-end scenario table shared by the providers: `diff` and `apply` run in-process as the CLI runs them,
 * on real manifests on disk, through the real provider and HTTP client, against a simulator on 127.0.0.1. Each
 * scenario starts from an empty simulator; `runScenarios` registers the table for one provider fixture.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { run as apply } from "../../cmd/apply.ts";
import { run as diff } from "../../cmd/diff.ts";
import { runVerb } from "./cli.ts";
import type { VerbOutput } from "./cli.ts";
import type { ManifestDir } from "./stacks.ts";
import { manifestDir } from "./stacks.ts";
import type { FixtureFactory, TargetFixture } from "./targets.ts";

/** What a scenario works with. */
export interface ScenarioContext {
  target: TargetFixture;
  dir: ManifestDir;
  /** Secret values the CLI finds in its environment; a scenario may replace them before applying. */
  secrets: Record<string, string>;
  apply(...args: string[]): Promise<VerbOutput>;
  diff(...args: string[]): Promise<VerbOutput>;
}

/** One row of the table. */
export interface Scenario {
  name: string;
  run(t: ScenarioContext): Promise<void>;
}

/** The stack most scenarios use: a web application with a secret and a domain, and a worker. Valid on both providers. */
export function shop(image = "nginx:1.27", domains: unknown[] = [{ host: "shop.example.com" }]) {
  return {
    applications: [
      { name: "web", image, ports: [80], env: { LOG_LEVEL: "info", TOKEN: { secret: "SHOP_TOKEN" } }, domains },
      // Coolify needs an exposed port on every application; on Dokploy ports are informational.
      { name: "worker", image: "busybox:1.36", command: "sleep infinity", ports: [8080] },
    ],
  };
}

/** A stack of one application. */
export function single(name: string, image: string, port = 8080) {
  return { applications: [{ name, image, ports: [port] }] };
}

/** runScenarios registers `scenarios` under `title`, each against a fresh target from `fixture`. */
export function runScenarios(title: string, fixture: FixtureFactory, scenarios: readonly Scenario[]): void {
  describe(title, () => {
    let ctx: ScenarioContext;
    // What this test's set-up started, so that afterEach closes it also when the set-up failed half-way.
    let started: { target?: TargetFixture; dir?: ManifestDir } = {};
    beforeEach(async () => {
      started = {};
      const target = (started.target = await fixture());
      const dir = (started.dir = manifestDir());
      const secrets: Record<string, string> = { SHOP_TOKEN: "s3cr3t-value-42" };
      // Deployments take milliseconds on the simulators: poll them at that pace instead of once a second.
      const env = () => ({ ...target.env(), STACKCTL_SECRETS_DIR: `${dir.dir}/no-secrets`, STACKCTL_POLL_INTERVAL: "20ms", ...ctx.secrets });
      ctx = {
        target,
        dir,
        secrets,
        apply: (...args) => runVerb(apply, ["stacks", ...args], { env: env(), cwd: dir.dir }),
        diff: (...args) => runVerb(diff, ["stacks", ...args], { env: env(), cwd: dir.dir }),
      };
    });
    afterEach(async () => {
      try {
        await started.target?.close();
      } finally {
        started.dir?.cleanup();
      }
    });
    for (const scenario of scenarios) it(scenario.name, () => scenario.run(ctx));
  });
}

/** applyUntilConverged applies up to `tries` times until an apply succeeds (faults on); returns the last output. */
export async function applyUntilConverged(t: ScenarioContext, tries: number): Promise<VerbOutput> {
  let last = await t.apply();
  for (let i = 1; i < tries && last.code !== 0; i += 1) last = await t.apply();
  return last;
}

/**
 * assertApplied fails with the CLI's output when an apply did not exit 0, or when what it did (`Apply: …`) is not
 * what its plan said (`Plan: …`, summed over targets): the two are counted the same way.
 */
export function assertApplied(out: VerbOutput): void {
  assert.equal(out.code, 0, `apply failed:\n${out.stdout}\n${out.stderr}`);
  assert.deepEqual(countsIn(out.stdout, /^Apply: (.*);/gm), countsIn(out.stdout, /^Plan: (.*)\./gm), `plan and apply counts differ:\n${out.stdout}`);
}

/** countsIn sums `N word` pairs of the lines `pattern` matches, by position (delete, create, update, adopt, deploy). */
function countsIn(text: string, pattern: RegExp): number[] {
  const sums = [0, 0, 0, 0, 0];
  const matches = [...text.matchAll(pattern)];
  assert.ok(matches.length > 0, `no line matches ${pattern}:\n${text}`);
  for (const match of matches) {
    match[1]!.split(", ").slice(0, 5).forEach((part, i) => (sums[i]! += Number.parseInt(part, 10)));
  }
  return sums;
}
