/**
 * The plan the renderer's golden files show: one of each kind of change. `shop` updates its web application
 * (image, env with a secret, a volume added and one changed, memory and health-check timings in units), deletes its
 * worker and creates an api with a domain; `wiki` adopts unmarked objects; `blog` lost its manifest and is torn
 * down; `docs` is unchanged.
 */
import type { ActualState, DesiredStack } from "../../controller/model.ts";
import { plan } from "../../controller/plan/index.ts";
import type { Plan } from "../../controller/plan/types.ts";
import { app, converged, planInput, stack } from "./plan-builders.ts";

const GiB = 1024 ** 3;

const webBefore = app("web", {
  spec: {
    env: { LEVEL: "info", TOKEN: "old-secret-value-1" },
    memoryBytes: 4 * GiB,
    volumes: [{ type: "volume", name: "data", mountPath: "/data", readOnly: false }],
    healthcheck: { type: "http", path: "/healthz", port: 80, intervalMs: 30_000, timeoutMs: 5000, retries: 3 },
  },
  secretEnv: ["TOKEN"],
  domains: [{ host: "shop.example.com", path: "/", port: 80, https: true }],
});

const webAfter = app("web", {
  spec: {
    source: { kind: "image", image: "nginx:1.28", registry: null },
    env: { LEVEL: "debug", TOKEN: "new-secret-value-2", FEATURE: "on" },
    memoryBytes: 8 * GiB,
    volumes: [
      { type: "volume", name: "data", mountPath: "/data", readOnly: true },
      { type: "bind", hostPath: "/srv/cache", mountPath: "/cache", readOnly: false },
    ],
    healthcheck: { type: "http", path: "/healthz", port: 80, intervalMs: 90_000, timeoutMs: 5000, retries: 3 },
  },
  secretEnv: ["TOKEN"],
  domains: [{ host: "shop.example.com", path: "/", port: 80, https: true }],
});

/** The inputs of the golden plan, exported for the counts test. */
export function goldenWorld(): { desired: DesiredStack[]; actual: ActualState } {
  const before = [
    stack("shop", { applications: [webBefore, app("worker", { spec: { command: "sleep infinity" } })] }),
    stack("blog", { applications: [app("ghost", { spec: { source: { kind: "image", image: "ghost:5", registry: null } } })] }),
    stack("docs", { applications: [app("docs")] }),
  ];
  const actual = converged(before);
  actual.projects.push({
    id: "prj-wiki",
    name: "wiki",
    description: "hand made",
    owner: null,
    detailed: true,
    environments: [{ id: "env-wiki", name: "production", isDefault: true, description: null, owner: null, applications: [{ id: "app-wiki", name: "wiki", description: null, owner: null, spec: { ...app("wiki").spec, replicas: 1 }, domains: [] }], others: [] }],
  });
  const api = app("api", { spec: { ports: [3000], cpu: 0.5, memoryBytes: 512 * 1024 ** 2 }, domains: [{ host: "api.example.com", path: "/v1", port: 3000, https: true }] });
  const desired = [
    stack("shop", { applications: [webAfter, api] }),
    stack("docs", { applications: [app("docs")] }),
    stack("wiki", { adopt: true, applications: [app("wiki", { spec: { replicas: 2 } })] }),
  ];
  return { desired, actual };
}

/** goldenPlan is the plan of goldenWorld, allowed to delete (blog is one of four stacks). */
export function goldenPlan(): Plan {
  const { desired, actual } = goldenWorld();
  return plan(planInput(desired, actual, { allowMassDeletion: true }));
}
