/**
 * Provider fixtures for the end-to-end tests: each starts its simulator on 127.0.0.1, tells the CLI how to reach it
 * (environment variables, and for Coolify a config file with a rate limit fit for tests), and shows what the server
 * holds in one provider-neutral shape, so that one scenario table runs against Dokploy and Coolify alike.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CoolifySimulator, CoolifySimulatorOptions } from "../../simulators/coolify/server.ts";
import { startCoolifySimulator } from "../../simulators/coolify/server.ts";
import type { DokploySimulator } from "../../simulators/dokploy/server.ts";
import { startDokploySimulator } from "../../simulators/dokploy/server.ts";
import type { FaultKnobs } from "../../simulators/faults.ts";
import type { SimDeployOutcome } from "../../simulators/dokploy/deploys.ts";

/** An application as the server holds it, whatever the provider. */
export interface ServerApp {
  image: string;
  command: string | null;
  envKeys: string[];
  /** `host/path https` or `host/path http`, sorted. */
  domains: string[];
  deployments: number;
  /** Volumes as `name:/mount/path` (named volume) or `/host/path:/mount/path` (bind), sorted. */
  volumes: string[];
}

/** A running simulator with the CLI's way to it. */
export interface TargetFixture {
  readonly provider: "dokploy" | "coolify";
  /** Coolify cannot remove an application's last domain through its API (coollabsio/coolify#11116). */
  readonly canRemoveLastDomain: boolean;
  /** Coolify routes a new domain only after a deployment; Dokploy's proxy picks it up at once. */
  readonly domainsNeedRedeploy: boolean;
  /** The environment that configures the CLI's `default` target. */
  env(): Record<string, string>;
  /** The same with a credential the server refuses, and what the CLI must then say. */
  refusedEnv(): Record<string, string>;
  readonly refusedMessage: RegExp;
  /** Requests that may have changed something. */
  writes(): number;
  /** The first application called `name`. */
  app(name: string): ServerApp | undefined;
  /** For each project called `name`, the names of its applications (every environment), sorted. */
  projectApps(name: string): string[][];
  projectDescription(name: string): string | null | undefined;
  /** Changes an application as someone would in the UI. */
  editByHand(app: string, change: { image: string; command: string }): void;
  /** A project with its default environment holding one application, all made by hand (unmarked). */
  insertUnmarked(project: string, description: string, app: string): void;
  /**
   * Adds by hand, to environment `env` of the first project called `project` (created unmarked when absent, with
   * `description`), a resource stackctl does not manage: a compose service or a database on Dokploy, a service or
   * a database on Coolify. Returns the noun the plan uses for it.
   */
  addForeign(project: string, env: string, what: "service" | "database", description?: string): string;
  /** The environment names of each project called `name`. */
  environments(name: string): string[][];
  /** How many resources made by addForeign exist. */
  foreignCount(): number;
  setFaults(faults: FaultKnobs): void;
  /** Sets the simulated deployments' outcome (for all, or by application name), duration and log lines. */
  setDeploys(knobs: DeployKnobs): void;
  /** Stops an application's containers by hand, as in the platform's UI. */
  stopByHand(app: string): void;
  /** Starts a deployment by hand, as the UI's Deploy button does. */
  deployByHand(app: string): void;
  /** Requests that read a deployment or the runtime (the cost of waiting). */
  deploymentReads(): number;
  close(): Promise<void>;
}

/** The deploy knobs both simulators share. */
export interface DeployKnobs {
  outcome?: SimDeployOutcome;
  outcomes?: Record<string, SimDeployOutcome>;
  durationMs?: number;
  logLines?: string[];
}

/** Starts a fixture. */
export type FixtureFactory = () => Promise<TargetFixture>;

const domainLine = (host: string, path: string, https: boolean) => `${host}${path} ${https}`;

/** dokployFixture: the Dokploy simulator, configured by DOKPLOY_URL and DOKPLOY_API_KEY. */
export const dokployFixture: FixtureFactory = async () => {
  const sim: DokploySimulator = await startDokploySimulator({ seed: 7 });
  const find = (name: string) => sim.store.findApplicationByName(name);
  return {
    provider: "dokploy",
    canRemoveLastDomain: true,
    domainsNeedRedeploy: false,
    env: () => ({ DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey }),
    refusedEnv: () => ({ DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: "wrong-key-123" }),
    refusedMessage: /target\/default: could not read the server: .*401.*rate limit/s,
    writes: () => sim.requests.filter((r) => r.method === "POST").length,
    app(name) {
      const a = find(name);
      if (!a) return undefined;
      return {
        image: String(a.dockerImage),
        command: (a.command as string | null) ?? null,
        envKeys: String(a.env ?? "").split("\n").map((l) => l.split("=")[0]!).filter(Boolean).sort(),
        domains: sim.store.domainsOf(a.applicationId).map((d) => domainLine(d.host, d.path ?? "/", Boolean(d.https))).sort(),
        deployments: sim.store.deploymentsOf(a.applicationId).length,
        volumes: sim.store.mountsOf(a.applicationId).filter((m) => m.type !== "file").map((m) => `${m.type === "bind" ? m.hostPath : m.volumeName}:${m.mountPath}`).sort(),
      };
    },
    projectApps: (name) =>
      sim.store.projects.filter((p) => p.name === name).map((p) =>
        sim.store.environmentsOf(p.projectId).flatMap((e) => sim.store.applicationsIn(e.environmentId).map((a) => a.name)).sort()),
    projectDescription: (name) => sim.store.findProjectByName(name)?.description,
    editByHand(app, change) {
      sim.store.patchApplication(find(app)!.applicationId, { dockerImage: change.image, command: change.command });
    },
    insertUnmarked(project, description, app) {
      const { environment } = sim.store.insertProject({ name: project, description });
      sim.store.insertApplication({ name: app, environmentId: environment.environmentId, description: null });
    },
    addForeign(project, env, what, description) {
      const p = sim.store.findProjectByName(project) ?? sim.store.insertProject({ name: project, description: description ?? null }).project;
      const e = sim.store.environmentsOf(p.projectId).find((x) => x.name === env)!;
      if (what === "service") sim.store.insertCompose({ name: "by-hand", environmentId: e.environmentId, sourceType: "raw" });
      else sim.store.insertDatabase({ kind: "postgres", name: "by-hand-db", environmentId: e.environmentId });
      return what === "service" ? "compose service" : "postgres database";
    },
    environments: (name) => sim.store.projects.filter((p) => p.name === name).map((p) => sim.store.environmentsOf(p.projectId).map((e) => e.name).sort()),
    foreignCount: () => sim.store.compose.length + sim.store.databases.length,
    setFaults: (f) => sim.setFaults(f),
    setDeploys(k) {
      const d = sim.store.settings.deploy;
      if (k.outcome) d.outcome = k.outcome;
      if (k.outcomes) d.outcomes = k.outcomes;
      if (k.logLines) d.logLines = k.logLines;
      if (k.durationMs !== undefined) sim.store.settings.deployDurationMs = k.durationMs;
    },
    stopByHand(app) {
      const a = find(app)!;
      sim.store.setStatus(a, "idle");
      sim.store.deploys.stopService(a.appName);
    },
    deployByHand: (app) => sim.store.startDeployment(find(app)!, "Manual deployment", ""),
    deploymentReads: () => sim.requests.filter((r) => /^\/api\/(deployment\.|docker\.)/.test(r.path)).length,
    close: () => sim.close(),
  };
};

/** Options of the Coolify fixture: simulator knobs, and the client's rate limit written into its config file. */
export interface CoolifyFixtureOptions extends CoolifySimulatorOptions {
  requestsPerMinute?: number;
  concurrency?: number;
  /** Configure the CLI by COOLIFY_URL and COOLIFY_TOKEN alone: the defaults, 180 requests per minute included. */
  envOnly?: boolean;
}

/**
 * coolifyFixture: the Coolify simulator, configured by a `stackctl.yaml` of its own (a `default` Coolify target
 * whose token is read from COOLIFY_TOKEN), so that the client's rate limit can fit a test: by default both the
 * simulator's limit and the client's are far above Coolify's 200 per minute.
 */
export function coolifyFixture(options: CoolifyFixtureOptions = {}): FixtureFactory {
  return async () => {
    const { requestsPerMinute = 60_000, concurrency = 8, envOnly = false, ...simOptions } = options;
    const sim: CoolifySimulator = await startCoolifySimulator({ seed: 7, rateLimitPerMinute: 100_000, ...simOptions });
    if (envOnly) return coolifyView(sim, { COOLIFY_URL: sim.url, COOLIFY_TOKEN: sim.token });
    const dir = mkdtempSync(join(tmpdir(), "stackctl-coolify-"));
    const config = join(dir, "stackctl.yaml");
    const target = { name: "default", provider: "coolify", url: sim.url, token: { fromEnv: "COOLIFY_TOKEN" }, requestsPerMinute, concurrency };
    writeFileSync(config, JSON.stringify({ apiVersion: "stackctl.dev/v1alpha1", kind: "ControllerConfig", targets: [target] }));
    return coolifyView(sim, { STACKCTL_CONFIG: config, COOLIFY_TOKEN: sim.token }, () => rmSync(dir, { recursive: true, force: true }));
  };
}

/** A Coolify fixture, with its simulator for Coolify-only assertions. */
export type CoolifyTarget = ReturnType<typeof coolifyView>;

/** simOf returns the simulator behind a fixture made by coolifyFixture. */
export function simOf(target: TargetFixture): CoolifySimulator {
  if (!("sim" in target)) throw new Error("not a Coolify fixture");
  return (target as CoolifyTarget).sim;
}

/** coolifyView wraps a running Coolify simulator; `env` configures the CLI. Exposed for Coolify-only tests. */
export function coolifyView(sim: CoolifySimulator, env: Record<string, string>, cleanup: () => void = () => undefined): TargetFixture & { sim: CoolifySimulator } {
  const { store } = sim;
  const find = (name: string) => store.applications.find((a) => a.name === name);
  return {
    sim,
    provider: "coolify",
    canRemoveLastDomain: false,
    domainsNeedRedeploy: true,
    env: () => env,
    refusedEnv: () => ({ ...env, COOLIFY_TOKEN: "9|wrong-token-123" }),
    refusedMessage: /target\/default: could not read the server: .*401 Unauthenticated\.; the API token was rejected/s,
    writes: () => sim.requests.filter((r) => r.method !== "GET").length,
    app(name) {
      const a = find(name);
      if (!a) return undefined;
      const tag = a.docker_registry_image_tag as string | null;
      return {
        image: `${String(a.docker_registry_image_name)}${tag ? `:${tag}` : ""}`,
        command: (a.start_command as string | null) ?? null,
        envKeys: store.envs.filter((e) => e.application_id === a.id && !e.is_preview).map((e) => e.key).sort(),
        domains: (a.fqdn ?? "").split(",").filter(Boolean).map((u) => new URL(u)).map((u) => domainLine(u.hostname, u.pathname || "/", u.protocol === "https:")).sort(),
        deployments: store.deploys.rows.filter((r) => r.application_id === String(a.id)).length,
        // A named volume's storage is `{uuid}-{name}`, as Coolify names it.
        volumes: store.storages.filter((st) => st.application_id === a.id && st.type === "persistent").map((st) => `${st.host_path ?? (st.name ?? "").replace(`${a.uuid}-`, "")}:${st.mount_path}`).sort(),
      };
    },
    projectApps: (name) =>
      store.projects.filter((p) => p.name === name).map((p) =>
        store.environments.filter((e) => e.project_id === p.id).flatMap((e) => store.applicationsIn(e).map((a) => a.name)).sort()),
    projectDescription: (name) => store.projects.find((p) => p.name === name)?.description,
    editByHand(app, change) {
      const [name, tag] = change.image.split(":");
      Object.assign(find(app)!, { docker_registry_image_name: name, docker_registry_image_tag: tag ?? null, start_command: change.command });
    },
    insertUnmarked(project, description, app) {
      const p = store.addProject(project, description);
      const env = store.environments.find((e) => e.project_id === p.id)!;
      store.insertApplication(env, { name: app, build_pack: "dockerimage", docker_registry_image_name: "nginx", docker_registry_image_tag: "1.25", ports_exposes: "80" });
    },
    addForeign(project, env, what, description) {
      const p = store.projects.find((x) => x.name === project) ?? store.addProject(project, description ?? null);
      const e = store.environments.find((x) => x.project_id === p.id && x.name === env)!;
      if (what === "service") store.insertService(e, "by-hand");
      else store.insertDatabase(e, "by-hand-db");
      return what === "service" ? "service" : "postgresql database";
    },
    environments: (name) => store.projects.filter((p) => p.name === name).map((p) => store.environments.filter((e) => e.project_id === p.id).map((e) => e.name).sort()),
    foreignCount: () => store.services.length + store.databases.length,
    setFaults: (f) => sim.setFaults(f),
    setDeploys(k) {
      const d = store.deploys.knobs;
      if (k.outcome) d.outcome = k.outcome;
      if (k.outcomes) d.outcomes = k.outcomes;
      if (k.logLines) d.logLines = k.logLines;
      if (k.durationMs !== undefined) d.durationMs = k.durationMs;
    },
    stopByHand(app) {
      find(app)!.status = "exited:unhealthy";
    },
    deployByHand(app) {
      const a = find(app)!;
      const server = store.serverOf(a);
      store.deploys.queue(a, server.name, server.id);
    },
    deploymentReads: () => sim.requests.filter((r) => r.method === "GET" && (/^\/api\/v1\/deployments\//.test(r.path) || /^\/api\/v1\/applications\/\w+$/.test(r.path))).length,
    async close() {
      await sim.close();
      cleanup();
    },
  };
}
