/**
 * A cold apply against the Dokploy simulator (40 ms per request) keeps the server busy and sends only the requests
 * the work needs: a stack's independent applications are created and configured at once, a project of its own is
 * not created in series behind every other project, a shared project is created once before the stacks using it,
 * and a just-created application is neither read back before its mounts nor given volume writes it does not need.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { stackPhases } from "../controller/apply-order.ts";
import { applyPlan } from "../controller/apply.ts";
import { buildDesired } from "../controller/desired.ts";
import type { SourcedStack } from "../controller/desired.ts";
import { planTargets } from "../controller/engine.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import type { DokploySimulator } from "../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { StackSchema } from "../specs/model.ts";
import { normalizeStack } from "../specs/normalize.ts";

let sim: DokploySimulator;
beforeEach(async () => {
  sim = await startDokploySimulator({ seed: 5, latencyMs: 40 });
});
afterEach(() => sim.close());

interface Timed {
  path: string;
  start: number;
  end: number;
}

function sourced(name: string, project: string, apps: Record<string, unknown>[]): SourcedStack {
  const stack = StackSchema.parse({ apiVersion: "stackctl.dev/v1alpha1", kind: "Stack", metadata: { name }, spec: { project, applications: apps } });
  return { file: `${name}.yaml`, stack: normalizeStack(stack) };
}

/** Plans and applies `stacks` on the simulator; returns every request with when it was in flight. */
async function coldApply(stacks: SourcedStack[]): Promise<Timed[]> {
  const requests: Timed[] = [];
  const provider = createDokployProvider({ url: sim.url, apiKey: sim.apiKey, maxConcurrent: 8, onRequest: (r) => requests.push({ path: r.path, start: performance.now() - r.durationMs, end: performance.now() }) });
  const desired = buildDesired(stacks, { targets: ["default"], resolveSecret: () => undefined, describeSecret: () => "" }).stacks;
  const input = { instance: "default", targets: [{ name: "default", provider }], desired, failedStacks: [], suspendTeardown: false, allowMassDeletion: false };
  const [planned] = await planTargets(input);
  const result = await applyPlan(planned!.plan!, provider, { concurrency: 4 });
  assert.deepEqual(result.stacks.map((s) => [s.stack, s.status, s.errors]), stacks.map((s) => [s.stack.metadata.name, "applied", []]));
  await sim.store.settled(); // the deployments queued by the apply end as the server runs them
  const [again] = await planTargets(input);
  const left = [...again!.plan!.projects, ...again!.plan!.stacks.flatMap((s) => s.changes), ...again!.plan!.cleanup].map((c) => `${c.action} ${c.subject} ${JSON.stringify(c.diff)}`);
  assert.deepEqual(left, [], "a second plan finds nothing to do");
  await provider.close();
  return requests;
}

const named = (requests: Timed[], path: string) => requests.filter((r) => r.path.endsWith(path));
const overlapping = (a: Timed, b: Timed) => a.start < b.end && b.start < a.end;

describe("cold apply", () => {
  it("creates and configures a stack's applications at once, in order within each", async () => {
    const apps = ["web", "api", "worker"].map((name) => ({ name, image: "nginx:1.27", ports: [80], ...(name === "worker" ? {} : { domains: [{ host: `${name}.shop.example.com` }] }) }));
    const requests = await coldApply([sourced("shop", "shop", apps)]);
    const creates = named(requests, "/application.create");
    assert.equal(creates.length, 3);
    assert.ok(overlapping(creates[0]!, creates[1]!) && overlapping(creates[1]!, creates[2]!), "the three creates are in flight together");
    const envMarked = named(requests, "/environment.update")[0]!;
    assert.ok(creates.every((c) => c.start >= envMarked.end), "the environment is marked before any application goes into it");
    assert.equal(sim.store.domains.length, 2);
    assert.equal(sim.store.deployments.length, 3);
  });

  it("does not create projects in series before the stacks, and creates a shared project once", async () => {
    const app = (host: string) => [{ name: "web", image: "nginx:1.27", ports: [80], domains: [{ host }] }];
    const stacks = [sourced("a", "shared", app("a.example.com")), sourced("b", "shared", app("b.example.com")), sourced("c", "own-c", app("c.example.com")), sourced("d", "own-d", app("d.example.com"))];
    const requests = await coldApply(stacks);
    assert.equal(named(requests, "/project.create").length, 3, "one create per project");
    assert.equal(sim.store.projects.filter((p) => p.name === "shared").length, 1);
    const projects = named(requests, "/project.create");
    assert.ok(overlapping(projects[0]!, projects[1]!) && overlapping(projects[1]!, projects[2]!), "the projects are created at once, not one after another");
    const sharedCreated = Math.min(...projects.map((r) => r.end));
    assert.ok(named(requests, "/application.create").every((r) => r.start > sharedCreated), "no application before its project");
  });

  it("sends the minimum: no application.one before mounts of a new application, no volume writes without volumes", async () => {
    const apps = [
      { name: "web", image: "nginx:1.27", ports: [80], env: { A: "1" }, volumes: [{ name: "data", mountPath: "/data" }], domains: [{ host: "web.min.example.com" }] },
      { name: "plain", image: "nginx:1.27", ports: [80] },
    ];
    const requests = await coldApply([sourced("min", "min", apps)]);
    const cold = requests.slice(0, requests.findLastIndex((r) => r.path.endsWith("/application.deploy")) + 1);
    // The deployment reads that identify each new deployment (for waiting on it) are deploy-wait's, counted apart.
    const paths = cold.map((r) => r.path.replace(/^\//, "")).filter((p) => !p.startsWith("deployment.")).sort();
    assert.deepEqual(paths, [
      "application.create", "application.create",
      "application.deploy", "application.deploy",
      "application.saveDockerProvider", "application.saveDockerProvider",
      "application.saveEnvironment", // only web has env
      "domain.create",
      "environment.update",
      "mounts.create",
      "project.all",
      "project.create",
      "tag.all", "tag.assignToProject", "tag.create",
    ].sort());
    assert.equal(sim.store.mounts.length, 1);
  });
});

describe("stackPhases", () => {
  it("keeps environment changes first and deletions last, and groups the rest by application", async () => {
    const change = (op: string, subject: string) => ({ action: "create", kind: "application", subject, diff: [], operation: { op } }) as never;
    const phases = stackPhases([
      change("createEnvironment", "project/p env/e"),
      change("createApplication", "stack/s app/web"),
      change("createDomain", "stack/s app/web domain/w.example.com/"),
      change("createApplication", "stack/s app/api"),
      change("deployApplication", "stack/s app/web"),
      change("deployApplication", "stack/s app/api"),
      change("deleteApplication", "stack/s app/old"),
      change("updateApplication", "stack/s app/late"),
    ]);
    const subjects = (list: { subject: string; operation: { op: string } }[]) => list.map((c) => `${c.operation.op} ${c.subject}`);
    assert.deepEqual(subjects(phases.before), ["createEnvironment project/p env/e"]);
    assert.deepEqual(phases.groups.map(subjects), [
      ["createApplication stack/s app/web", "createDomain stack/s app/web domain/w.example.com/", "deployApplication stack/s app/web"],
      ["createApplication stack/s app/api", "deployApplication stack/s app/api"],
    ]);
    assert.deepEqual(subjects(phases.after), ["deleteApplication stack/s app/old", "updateApplication stack/s app/late"]);
  });
});
