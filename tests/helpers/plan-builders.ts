/**
 * Builders for plan() tests: desired stacks from a few fields, and the actual state a server would hold once a
 * set of stacks was applied (so a test can start from "converged" and change one thing).
 */
import type { ActualApplication, ActualProject, ActualState, AppSpec, DesiredApplication, DesiredStack } from "../../controller/model.ts";
import { formatMarker } from "../../controller/ownership.ts";
import type { PlanInput } from "../../controller/plan/index.ts";

/** An application spec with everything defaulted, overridable. */
export function appSpec(overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    source: { kind: "image", image: "nginx:1.27", registry: null },
    command: null,
    env: {},
    buildArgs: {},
    ports: [80],
    replicas: 1,
    cpu: null,
    memoryBytes: null,
    volumes: [],
    healthcheck: null,
    state: "running",
    ...overrides,
  };
}

/** A desired application. */
export function app(name: string, overrides: Partial<Omit<DesiredApplication, "spec">> & { spec?: Partial<AppSpec> } = {}): DesiredApplication {
  const { spec, ...rest } = overrides;
  return { name, spec: appSpec(spec), domains: [], secretEnv: [], secretBuildArgs: [], ...rest };
}

/** A desired stack on target `main`. */
export function stack(name: string, overrides: Partial<DesiredStack> = {}): DesiredStack {
  return {
    name,
    file: `stacks/${name}.yaml`,
    target: "main",
    project: name,
    environment: "production",
    description: null,
    prune: true,
    adopt: false,
    orphanOnDelete: false,
    allowEmpty: false,
    applications: [],
    ...overrides,
  };
}

let nextId = 0;
/** A fresh fake id. */
export function id(prefix: string): string {
  nextId += 1;
  return `${prefix}-${String(nextId).padStart(4, "0")}`;
}

/** The actual state a server has after `stacks` were applied by instance `default`. */
export function converged(stacks: readonly DesiredStack[], instance = "default"): ActualState {
  const projects = new Map<string, ActualProject>();
  for (const s of [...stacks].sort((a, b) => a.name.localeCompare(b.name))) {
    const owner = { instance, stack: s.name, ...(s.orphanOnDelete ? { orphan: true } : {}) };
    let project = projects.get(s.project);
    if (!project) {
      project = { id: id("prj"), name: s.project, description: formatMarker(owner, s.description), owner, detailed: true, environments: [] };
      projects.set(s.project, project);
    }
    const applications: ActualApplication[] = s.applications.map((a) => ({
      id: id("app"),
      name: a.name,
      description: formatMarker(owner),
      owner,
      spec: structuredClone(a.spec),
      domains: a.domains.map((d) => ({ ...d, id: id("dom") })),
    }));
    project.environments.push({ id: id("env"), name: s.environment, isDefault: s.environment === "production", description: formatMarker(owner, s.description), owner, applications, others: [] });
  }
  return { projects: [...projects.values()] };
}

/** A PlanInput with defaults: target main, instance default, nothing unsupported. */
export function planInput(desired: DesiredStack[], actual: ActualState, overrides: Partial<PlanInput> = {}): PlanInput {
  return { target: "main", instance: "default", desired, failedStacks: [], actual, allowMassDeletion: false, unsupported: () => [], ...overrides };
}
