/**
 * planTargets wires a provider's optional hooks: the desired env and build args reach observe() (for Coolify's
 * fingerprints), and the stack-level capability check reaches plan().
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { planTargets } from "../controller/engine.ts";
import type { ObserveRequest, Provider } from "../controller/provider.ts";
import { app, stack } from "./helpers/plan-builders.ts";

function fakeProvider(seen: ObserveRequest[], unsupportedStack?: Provider["unsupportedStack"]): Provider {
  const refuse = () => Promise.reject(new Error("plan only"));
  return {
    kind: "coolify",
    unsupported: () => [],
    ...(unsupportedStack ? { unsupportedStack } : {}),
    observe: async (request) => (seen.push(request), { projects: [] }),
    createProject: refuse, updateProject: refuse, deleteProject: refuse, createEnvironment: refuse, updateEnvironment: refuse, deleteEnvironment: refuse,
    createApplication: refuse, updateApplication: refuse, deleteApplication: refuse, createDomain: refuse, updateDomain: refuse, deleteDomain: refuse, deployApplication: refuse,
  };
}

const desired = [
  stack("shop", { target: "main", applications: [app("web", { spec: { env: { A: "1" }, buildArgs: { B: "2" } } })] }),
  stack("blog", { target: "main", environment: "qa", applications: [app("web", { spec: { env: { A: "other" } } })] }),
];
const input = { instance: "default", desired, failedStacks: [], suspendTeardown: false, allowMassDeletion: false };

test("observe receives each application's desired values by project, environment and name", async () => {
  const seen: ObserveRequest[] = [];
  const [result] = await planTargets({ ...input, targets: [{ name: "main", provider: fakeProvider(seen) }] });
  assert.ok(result?.plan);
  const values = seen[0]!.desiredValues!;
  assert.deepEqual(values("shop", "production", "web"), { env: { A: "1" }, buildArgs: { B: "2" } });
  assert.deepEqual(values("blog", "qa", "web"), { env: { A: "other" }, buildArgs: {} });
  assert.equal(values("shop", "qa", "web"), undefined);
  assert.equal(values("shop", "production", "api"), undefined);
});

test("the provider's stack check turns an environment it cannot hold into a plan error", async () => {
  const seen: ObserveRequest[] = [];
  const short = (_project: string, environment: string) => (environment.length < 3 ? [{ field: "spec.environment", message: "at least 3 characters" }] : []);
  const [result] = await planTargets({ ...input, targets: [{ name: "main", provider: fakeProvider(seen, short) }] });
  const blog = result!.plan!.stacks.find((s) => s.stack === "blog")!;
  assert.deepEqual(blog.errors.map((e) => [e.code, e.field, e.file]), [["provider.unsupported", "spec.environment", "stacks/blog.yaml"]]);
  assert.equal(result!.plan!.stacks.find((s) => s.stack === "shop")!.errors.length, 0);
});
