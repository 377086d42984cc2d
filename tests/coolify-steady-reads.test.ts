/**
 * What one stack's reconcile reads on Coolify when nothing changed (the controller's per-stack plan: its project
 * only, by remembered uuid, teardown suspended), counted on the simulator over real HTTP: its project, its
 * environments' details and its applications' envs and storages, and none of the team-wide lists (`GET /projects`,
 * `GET /applications`, `GET /services`, `GET /databases`), whose size grows with the server. When the plan may
 * remove an environment (the stack moved to another one), the team's services and databases are read after all:
 * an environment's details omit keydb, dragonfly and clickhouse databases, and such a database keeps it. A
 * controller's first reconciles, which know no uuid yet, look their project up in `GET /projects` alone. In a
 * project shared by several stacks, only the stack's own applications are read in full.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { applyPlan } from "../controller/apply.ts";
import { buildDesired } from "../controller/desired.ts";
import { planTargets } from "../controller/engine.ts";
import type { PlanTargetsInput } from "../controller/engine.ts";
import { stackObserveScope } from "../controller/loop/stack-scope.ts";
import { createCoolifyProvider } from "../controller/providers/coolify/index.ts";
import type { CoolifyProvider } from "../controller/providers/coolify/index.ts";
import { StackSchema } from "../specs/model.ts";
import { normalizeStack } from "../specs/normalize.ts";
import { startCoolifySimulator } from "../simulators/coolify/server.ts";
import type { CoolifySimulator } from "../simulators/coolify/server.ts";

let sim: CoolifySimulator;
let provider: CoolifyProvider;
before(async () => {
  sim = await startCoolifySimulator({ seed: 5, rateLimitPerMinute: 100_000, deleteDelayMs: 0 });
  sim.store.deploys.knobs.durationMs = 0;
  provider = createCoolifyProvider({ url: sim.url, token: sim.token, server: "localhost", rateLimit: { requestsPerSecond: 1000 } });
});
after(async () => {
  await provider.close();
  await sim.close();
});

function stack(name: string, project: string, environment: string) {
  const manifest = { apiVersion: "stackctl.dev/v1alpha1", kind: "Stack", metadata: { name }, spec: { project, environment, applications: [{ name: `${name}-web`, image: "nginx:1.27", ports: [80], env: { A: "1" } }] } };
  return { file: `${name}.yaml`, stack: normalizeStack(StackSchema.parse(manifest)) };
}

const desired = (stacks: ReturnType<typeof stack>[]) => buildDesired(stacks, { targets: ["t"], resolveSecret: () => undefined, describeSecret: () => "" }).stacks;

/** Applies `stacks` (the others the tests made stay: no teardown). */
async function applyAll(stacks: ReturnType<typeof stack>[]): Promise<void> {
  const [t] = await planTargets({ instance: "ci", targets: [{ name: "t", provider }], desired: desired(stacks), failedStacks: [], suspendTeardown: true, allowMassDeletion: false });
  const result = await applyPlan(t!.plan!, provider, {});
  assert.deepEqual(result.errors, []);
  while (sim.store.deploys.busy()) await new Promise((r) => setTimeout(r, 5));
}

/** One stack's reconcile as the controller plans it (its observe scope included); returns the plan and the routes it read. */
async function reconcile(one: ReturnType<typeof stack>, by: CoolifyProvider = provider) {
  const [wanted] = desired([one]);
  const input: PlanTargetsInput = {
    instance: "ci", targets: [{ name: "t", provider: by }], desired: [wanted!], failedStacks: [], suspendTeardown: true, allowMassDeletion: false,
    observe: stackObserveScope(wanted!, []),
  };
  const from = sim.requests.length;
  const [t] = await planTargets(input);
  const routes = sim.requests.slice(from).map((r) => `${r.method} ${r.path.replace(/[a-z0-9]{24}/g, "{uuid}")}`);
  return { plan: t!.plan!, routes };
}

const TEAM_LISTS = ["GET /api/v1/projects", "GET /api/v1/applications", "GET /api/v1/services", "GET /api/v1/databases"];

test("an unchanged stack's reconcile reads its own project, never a team-wide list", async () => {
  const stacks = [stack("alpha", "shared", "alpha"), stack("beta", "shared", "beta"), stack("gamma", "gamma", "production")];
  await applyAll(stacks);
  sim.store.insertService(sim.store.environments[0]!, "someone-elses-service");
  await reconcile(stacks[0]!); // the first read lists the projects once and remembers their uuids
  for (const s of stacks) {
    const { plan, routes } = await reconcile(s);
    assert.deepEqual(plan.stacks.flatMap((p) => p.changes), [], `${s.stack.metadata.name} is in sync`);
    assert.deepEqual(routes.filter((r) => TEAM_LISTS.includes(r)), [], routes.join(", "));
    const envs = s.stack.spec.project === "shared" ? ["production", "alpha", "beta"] : ["production"];
    // 1 + E + 2A: the project, each environment's details, and the envs and storages of the stack's own application
    // (not of the other stack's in the shared project, which is listed with its marker only).
    assert.equal(routes.length, 1 + envs.length + 2, routes.join(", "));
    assert.equal(routes.filter((r) => r === "GET /api/v1/applications/{uuid}/envs").length, 1);
    assert.equal(routes.filter((r) => r === "GET /api/v1/projects/{uuid}").length, 1);
  }
});

test("a stack that moved to another environment reads the team's databases, and a keydb keeps its old one", async () => {
  await applyAll([stack("delta", "delta", "staging")]);
  const project = sim.store.projects.find((p) => p.name === "delta")!;
  const staging = sim.store.environmentsOf(project).find((e) => e.name === "staging")!;
  sim.store.insertDatabase(staging, "cache", "keydb"); // absent from the environment's details
  await reconcile(stack("delta", "delta", "staging"));
  const { plan, routes } = await reconcile(stack("delta", "delta", "qa-env"));
  assert.ok(routes.includes("GET /api/v1/databases") && routes.includes("GET /api/v1/services"), routes.join(", "));
  const changes = plan.stacks.flatMap((p) => p.changes).map((c) => `${c.action} ${c.kind} ${c.subject}`);
  assert.ok(!changes.some((c) => c.startsWith("delete environment")), changes.join("; "));
  assert.match(JSON.stringify(plan.kept), /env\/staging.*holds 1 keydb database not managed by stackctl/);
});

test("a controller's first reconciles look their projects up in GET /projects, never in the team's applications", async () => {
  await applyAll([stack("epsilon", "epsilon", "production")]);
  const fresh = createCoolifyProvider({ url: sim.url, token: sim.token, server: "localhost", rateLimit: { requestsPerSecond: 1000 } });
  try {
    const first = await reconcile(stack("epsilon", "epsilon", "production"), fresh);
    assert.deepEqual(first.plan.stacks.flatMap((p) => p.changes), []);
    assert.deepEqual(first.routes.slice(0, 2), ["GET /api/v1/projects", "GET /api/v1/projects/{uuid}"], first.routes.join(", "));
    assert.deepEqual(first.routes.filter((r) => TEAM_LISTS.includes(r)), ["GET /api/v1/projects"]);
    const missing = await reconcile(stack("zeta", "zeta-new", "production"), fresh);
    assert.deepEqual(missing.routes, ["GET /api/v1/projects"], "a project that does not exist yet costs one list");
    assert.ok([...missing.plan.projects, ...missing.plan.stacks.flatMap((p) => p.changes)].some((c) => c.action === "create" && c.kind === "project"), "and is planned for creation");
  } finally {
    await fresh.close();
  }
});
