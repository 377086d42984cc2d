/**
 * Dokploy rows ↔ the neutral model, both directions, pure. Units: Dokploy stores `cpuLimit` as Docker NanoCPUs
 * and `memoryLimit` as bytes, both as decimal strings; `healthCheckSwarm` is a Docker Swarm HealthConfig with
 * nanosecond durations and a `Test` array. Every read mapping here is the inverse of the matching write, so a
 * second observe of what stackctl wrote equals the desired spec.
 */
import type { ActualApplication, ActualDomain, AppSource, AppSpec, DomainSpec, GitBuild, HealthcheckSpec, VolumeSpec } from "../../model.ts";
import { parseDotenv } from "./dotenv.ts";
import type { ApplicationRow, DomainRow, HealthCheckSwarm, MountRow } from "./rows.ts";

const NANOS_PER_CORE = 1e9;
const NANOS_PER_MS = 1e6;
// Docker's defaults for a HealthConfig field left at zero.
const DOCKER_HEALTH_DEFAULTS = { intervalMs: 30_000, timeoutMs: 30_000, retries: 3 };

/** appSpecFromRow reads an `application.one` row into the neutral spec; fields it cannot read stay undefined. */
export function appSpecFromRow(row: ApplicationRow): Partial<AppSpec> {
  const spec: Partial<AppSpec> = {
    command: row.command || null,
    env: parseDotenv(row.env),
    buildArgs: parseDotenv(row.buildArgs),
    replicas: row.replicas ?? 1,
    cpu: nanoCpusToCores(row.cpuLimit),
    memoryBytes: decimal(row.memoryLimit),
    healthcheck: healthcheckFromSwarm(row.healthCheckSwarm),
  };
  const source = sourceFromRow(row);
  if (source) spec.source = source;
  if (row.mounts) spec.volumes = volumesFromMounts(row.mounts);
  const state = stateFromStatus(row.applicationStatus);
  if (state) spec.state = state;
  // `ports` is left unknown: Dokploy routes a domain to its own port and needs no application port list.
  return spec;
}

/** sourceFromRow maps the provider columns; a source Dokploy holds but stackctl does not write reads as a pseudo-URL so plan() shows it as drift. */
export function sourceFromRow(row: ApplicationRow): AppSource | undefined {
  switch (row.sourceType) {
    case "docker": {
      const registry = row.username || row.password ? { url: row.registryUrl ?? "", username: row.username ?? "", password: row.password ?? "" } : null;
      return { kind: "image", image: row.dockerImage ?? "", registry };
    }
    case "git":
      return { kind: "git", url: row.customGitUrl ?? "", branch: row.customGitBranch ?? "", path: row.customGitBuildPath ?? "/", build: buildFromRow(row) };
    case undefined:
    case null:
      return undefined;
    default:
      return { kind: "git", url: `${row.sourceType}:${row.owner ?? ""}/${row.repository ?? ""}`, branch: row.branch ?? "", path: row.buildPath ?? "/", build: buildFromRow(row) };
  }
}

function buildFromRow(row: ApplicationRow): GitBuild {
  if (row.buildType === "dockerfile") return { type: "dockerfile", dockerfile: row.dockerfile || "Dockerfile" };
  // heroku_buildpacks and paketo_buildpacks are not stackctl build types; they are shown as they are so plan() reports drift.
  return { type: (row.buildType ?? "nixpacks") as GitBuild["type"], dockerfile: null };
}

/** stateFromStatus: idle = stopped or never deployed; running/done = up; error = unknown (no redeploy loop). */
export function stateFromStatus(status: string | null | undefined): AppSpec["state"] | undefined {
  if (status === "idle") return "stopped";
  if (status === "running" || status === "done") return "running";
  return undefined;
}

/**
 * runtimeFromStatus reads `applicationStatus`: its last deploy job's result (`done` only means Swarm accepted the
 * service), `idle` once stopped, `running` while a job runs. A crash after a `done` deploy is not visible here.
 */
export function runtimeFromStatus(status: string | null | undefined): ActualApplication["runtime"] {
  if (status === "error") return "failed";
  if (status === "idle") return "stopped";
  if (status === "running") return "starting";
  return status === "done" ? "running" : "unknown";
}

/** volumesFromMounts maps volume and bind mounts; `file` mounts have no neutral form and are left alone. */
export function volumesFromMounts(mounts: readonly MountRow[]): VolumeSpec[] {
  const out: VolumeSpec[] = [];
  for (const m of mounts) {
    if (m.type === "volume") out.push({ type: "volume", name: m.volumeName ?? "", mountPath: m.mountPath, readOnly: false });
    else if (m.type === "bind") out.push({ type: "bind", hostPath: m.hostPath ?? "", mountPath: m.mountPath, readOnly: false });
  }
  return out;
}

/**
 * Swarm health checks run a command in the container, so an HTTP check is written as this shell line (curl, else
 * wget, the two clients images usually carry) and read back from it.
 */
export function httpProbeCommand(port: number, path: string): string {
  const url = `http://localhost:${port}${path}`;
  return `curl -fsS -o /dev/null ${url} || wget -q -O /dev/null ${url} || exit 1`;
}

const HTTP_PROBE = /^curl -fsS -o \/dev\/null http:\/\/localhost:(\d+)(\/\S*) \|\| wget -q -O \/dev\/null http:\/\/localhost:\1\2 \|\| exit 1$/;

/** healthcheckFromSwarm reads a Swarm HealthConfig; `CMD-SHELL x` reads as `/bin/sh -c x`, or as HTTP for our probe. */
export function healthcheckFromSwarm(h: HealthCheckSwarm | null | undefined): HealthcheckSpec | null {
  const test = h?.Test;
  if (!h || !test || test.length === 0 || test[0] === "NONE") return null;
  const timing = {
    intervalMs: h.Interval ? h.Interval / NANOS_PER_MS : DOCKER_HEALTH_DEFAULTS.intervalMs,
    timeoutMs: h.Timeout ? h.Timeout / NANOS_PER_MS : DOCKER_HEALTH_DEFAULTS.timeoutMs,
    retries: h.Retries ?? DOCKER_HEALTH_DEFAULTS.retries,
  };
  const probe = test[0] === "CMD-SHELL" && test.length === 2 ? HTTP_PROBE.exec(test[1]!) : null;
  if (probe) return { type: "http", port: Number(probe[1]), path: probe[2]!, ...timing };
  const command = test[0] === "CMD" ? test.slice(1) : test[0] === "CMD-SHELL" ? ["/bin/sh", "-c", test.slice(1).join(" ")] : [...test];
  return { type: "command", command, ...timing };
}

/** healthcheckToSwarm writes a health check; an HTTP one becomes the curl-or-wget probe of httpProbeCommand. */
export function healthcheckToSwarm(h: HealthcheckSpec | null): HealthCheckSwarm | null {
  if (!h) return null;
  const Test = h.type === "command" ? ["CMD", ...h.command] : ["CMD-SHELL", httpProbeCommand(h.port, h.path)];
  return { Test, Interval: h.intervalMs * NANOS_PER_MS, Timeout: h.timeoutMs * NANOS_PER_MS, Retries: h.retries };
}

/** coresToNanoCpus: 0.5 cores → "500000000"; null clears the limit. */
export function coresToNanoCpus(cores: number | null): string | null {
  return cores === null ? null : String(Math.round(cores * NANOS_PER_CORE));
}

/** nanoCpusToCores is the inverse of coresToNanoCpus. */
export function nanoCpusToCores(value: string | null | undefined): number | null {
  const n = decimal(value);
  return n === null ? null : n / NANOS_PER_CORE;
}

function decimal(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** domainsFromRows maps an application's domains, applying Dokploy's defaults for unset columns. */
export function domainsFromRows(rows: readonly DomainRow[]): ActualDomain[] {
  return rows.map((d) => ({ id: d.domainId, host: d.host, path: d.path || "/", port: d.port ?? 3000, https: d.https === true }));
}

/** domainBody is the input of domain.create / domain.update for an application domain. */
export function domainBody(domain: DomainSpec): Record<string, unknown> {
  return {
    host: domain.host,
    path: domain.path,
    port: domain.port,
    https: domain.https,
    // Without a certificate type an https domain gets no certificate (`none` is stored even with https on).
    certificateType: domain.https ? "letsencrypt" : "none",
    domainType: "application",
  };
}

/** mountBody is the input of mounts.create / mounts.update for a volume or bind mount. */
export function mountBody(v: VolumeSpec): Record<string, unknown> {
  return v.type === "volume"
    ? { type: "volume", volumeName: v.name, hostPath: null, mountPath: v.mountPath }
    : { type: "bind", hostPath: v.hostPath, volumeName: null, mountPath: v.mountPath };
}

/** The key a desired volume and an existing mount are matched by (a mount path holds one mount). */
export function mountKey(v: { mountPath: string }): string {
  return v.mountPath;
}
