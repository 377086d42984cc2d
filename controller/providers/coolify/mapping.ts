/**
 * Coolify application rows ↔ the neutral model, pure. Coolify keeps limits as Docker CLI strings (`limits_cpus`
 * "0.5", `limits_memory` "536870912" or "512m"; "0" = none), health-check timings in seconds, exposed ports as a
 * comma-separated `ports_exposes`, and domains as full URLs in `fqdn`, the port naming the container port. Every
 * read here is the inverse of the matching write, so a second observe of what stackctl wrote equals the spec.
 */
import type { ActualDomain, AppSource, AppSpec, DomainSpec, HealthcheckSpec } from "../../model.ts";
import type { ApplicationRow } from "./rows.ts";

/** What Coolify's dockerfile create stores as the repository of an inline-Dockerfile application. */
export const INLINE_DOCKERFILE_REPOSITORY = "coollabsio/coolify";

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** appSpecFromRow reads the list row into the spec, except env and buildArgs (see env.ts). */
export function appSpecFromRow(row: ApplicationRow): Partial<AppSpec> {
  const spec: Partial<AppSpec> = {
    command: row.start_command || null,
    ports: parsePorts(row.ports_exposes),
    // Standalone Docker: one container per application; the API has no replica count.
    replicas: 1,
    cpu: parseCpus(row.limits_cpus),
    memoryBytes: parseMemory(row.limits_memory),
    healthcheck: healthcheckFromRow(row),
    // `volumes` come from the storages (storages.ts), read by observe beside the env.
  };
  const source = sourceFromRow(row);
  if (source) spec.source = source;
  const state = stateFromStatus(row.status);
  if (state) spec.state = state;
  return spec;
}

/** sourceFromRow maps the build pack; an inline Dockerfile hidden from the token reads as unknown. */
export function sourceFromRow(row: ApplicationRow): AppSource | undefined {
  if (row.build_pack === "dockerimage") {
    const tag = row.docker_registry_image_tag;
    return { kind: "image", image: `${row.docker_registry_image_name ?? ""}${tag ? `:${tag}` : ""}`, registry: null };
  }
  const inline = row.build_pack === "dockerfile" && (typeof row.dockerfile === "string" || row.git_repository === INLINE_DOCKERFILE_REPOSITORY);
  if (inline) return typeof row.dockerfile === "string" ? { kind: "dockerfile", dockerfile: row.dockerfile } : undefined;
  const type = row.build_pack;
  if (type !== "dockerfile" && type !== "nixpacks" && type !== "railpack" && type !== "static") {
    // dockercompose and anything newer: shown as a pseudo-URL so plan() reports drift instead of rewriting it silently.
    return { kind: "git", url: `${type ?? "unknown"}:${row.git_repository ?? ""}`, branch: row.git_branch ?? "", path: row.base_directory || "/", build: { type: "nixpacks", dockerfile: null } };
  }
  return {
    kind: "git",
    url: row.git_repository ?? "",
    branch: row.git_branch ?? "",
    path: row.base_directory || "/",
    build: { type, dockerfile: type === "dockerfile" ? (row.dockerfile_location ?? "Dockerfile") : null },
  };
}

/** stateFromStatus: `running:*` is up, `exited:*` is stopped, anything transitional is unknown. */
export function stateFromStatus(status: string | null | undefined): AppSpec["state"] | undefined {
  if (status?.startsWith("running")) return "running";
  if (status?.startsWith("exited")) return "stopped";
  return undefined;
}

/** splitImage splits `repo/name:tag` into name and tag (the tag after the last ':' past the last '/'). */
export function splitImage(image: string): { name: string; tag: string | null } {
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? { name: image.slice(0, colon), tag: image.slice(colon + 1) } : { name: image, tag: null };
}

/** healthcheckFromRow reads an HTTP health check; disabled is null. */
export function healthcheckFromRow(row: ApplicationRow): HealthcheckSpec | null {
  if (!row.health_check_enabled) return null;
  const port = Number(row.health_check_port ?? parsePorts(row.ports_exposes)[0] ?? 80);
  return {
    type: "http",
    path: row.health_check_path || "/",
    port,
    intervalMs: (row.health_check_interval ?? 5) * 1000,
    timeoutMs: (row.health_check_timeout ?? 5) * 1000,
    retries: row.health_check_retries ?? 10,
  };
}

/** healthcheckFields writes an HTTP health check (a command one is refused by unsupported()); null disables it. */
export function healthcheckFields(h: HealthcheckSpec | null): Record<string, unknown> {
  if (!h || h.type !== "http") return { health_check_enabled: false };
  return {
    health_check_enabled: true,
    health_check_path: h.path,
    health_check_port: String(h.port),
    health_check_scheme: "http",
    health_check_method: "GET",
    health_check_return_code: 200,
    health_check_interval: Math.round(h.intervalMs / 1000),
    health_check_timeout: Math.round(h.timeoutMs / 1000),
    health_check_retries: h.retries,
  };
}

/** parsePorts reads `"3000,8080"`. */
export function parsePorts(value: string | null | undefined): number[] {
  return (value ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "").map(Number).filter(Number.isFinite);
}

/** parseCpus reads `limits_cpus`; "0" or empty is no limit. */
export function parseCpus(value: string | null | undefined): number | null {
  const n = Number(value ?? "0");
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** parseMemory reads `limits_memory` with Docker's unit suffixes; "0" or empty is no limit. */
export function parseMemory(value: string | null | undefined): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmg]?)\s*$/i.exec(value ?? "");
  if (!match) return null;
  const bytes = Math.round(Number(match[1]) * (UNITS[match[2]!.toLowerCase()] ?? 1));
  return bytes > 0 ? bytes : null;
}

/** limitFields writes cpu and memory; null is Coolify's "0" (no limit). */
export function limitFields(spec: Pick<AppSpec, "cpu" | "memoryBytes">, fields: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (fields.has("cpu")) out.limits_cpus = spec.cpu === null ? "0" : String(spec.cpu);
  if (fields.has("memoryBytes")) out.limits_memory = spec.memoryBytes === null ? "0" : String(spec.memoryBytes);
  return out;
}

/** domainUrl renders a domain as Coolify's full URL, always with the container port. */
export function domainUrl(d: DomainSpec): string {
  return `${d.https ? "https" : "http"}://${d.host.toLowerCase()}:${d.port}${d.path === "/" ? "" : d.path}`;
}

/** domainId is the id stackctl gives a domain inside `fqdn`: host and path. */
export function domainId(d: Pick<DomainSpec, "host" | "path">): string {
  return `${d.host.toLowerCase()}${d.path}`;
}

/** domainsFromFqdn parses `fqdn`; a URL without port goes to the first exposed port, as Coolify routes it. */
export function domainsFromFqdn(fqdn: string | null | undefined, portsExposes: string | null | undefined): ActualDomain[] {
  const fallback = parsePorts(portsExposes)[0] ?? 80;
  const out: ActualDomain[] = [];
  for (const raw of (fqdn ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue; // not a URL stackctl could have written; nothing to match it with
    }
    // URL drops a scheme's default port (":80" on http): read it back from the raw text.
    const explicit = /^[a-z]+:\/\/[^/:]+:(\d+)/i.exec(raw)?.[1];
    const host = url.hostname;
    const path = url.pathname.replace(/\/+$/, "") || "/";
    out.push({ id: domainId({ host, path }), host, path, port: explicit ? Number(explicit) : fallback, https: url.protocol === "https:" });
  }
  return out;
}
