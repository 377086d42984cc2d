/**
 * Checks that deploy/docker-compose.yml and deploy/stackctl.yaml agree with the image and with each other: the
 * service builds the repository's Dockerfile, mounts the data volume where the image keeps its state, exposes the
 * listen port, grants every secret file the config reads, and gives shutdown enough time. Each returns problems.
 */
import { resolve } from "node:path";
import { envOf } from "./dockerfile.ts";
import type { Image } from "./image-checks.ts";

/** The deployment example, parsed, and where it lives. */
export interface Deploy {
  compose: Record<string, any>;
  /** The ControllerConfig the compose file mounts. */
  config: Record<string, any>;
  /** Absolute directory of the compose file; relative paths in it resolve from here. */
  dir: string;
  /** Absolute repository root (the Dockerfile's build context). */
  root: string;
  exists(absolutePath: string): boolean;
}

/** seconds reads a Go-style duration (`30s`, `1m30s`, `500ms`); NaN when it is not one. */
export function seconds(text: unknown): number {
  const s = String(text ?? "");
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== s) return Number.NaN;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 } as const;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

/** The stackctl service: the one whose command is `run` (or that runs the image's default command). */
function service(d: Deploy): Record<string, any> | undefined {
  const services = Object.values(d.compose.services ?? {}) as Record<string, any>[];
  return services.find((s) => s.command === undefined || [s.command].flat()[0] === "run");
}

/** Mounts of the service as { source, target }, from short (`a:b:ro`) or long syntax. */
function mounts(svc: Record<string, any>): { source: string; target: string }[] {
  return ((svc.volumes ?? []) as unknown[]).map((v) => {
    if (typeof v === "string") {
      const [source = "", target = ""] = v.split(":");
      return { source, target };
    }
    const long = v as { source?: string; target?: string };
    return { source: long.source ?? "", target: long.target ?? "" };
  });
}

/** The compose checks, by name. */
export const composeChecks = {
  buildsTheDockerfile(d: Deploy): string[] {
    const svc = service(d);
    if (!svc) return ["no service runs `run`"];
    if (svc.build === undefined) return typeof svc.image === "string" ? [] : ["the service has neither build nor image"];
    const context = resolve(d.dir, typeof svc.build === "string" ? svc.build : (svc.build.context ?? "."));
    const dockerfile = resolve(context, svc.build.dockerfile ?? "Dockerfile");
    if (context !== d.root) return [`build context ${context} is not the repository root`];
    return d.exists(dockerfile) ? [] : [`${dockerfile} does not exist`];
  },

  /** Status and the Git checkout must outlive the container, in the directory the image and config name. */
  mountsTheDataVolume(d: Deploy, img: Image): string[] {
    const svc = service(d);
    const dir = envOf(img.final).get("STACKCTL_DATA_DIR");
    if (!svc || !dir) return ["no service, or the image sets no STACKCTL_DATA_DIR"];
    const problems: string[] = [];
    const mount = mounts(svc).find((m) => m.target === dir);
    if (!mount) problems.push(`nothing is mounted at ${dir}`);
    else if (!(mount.source in (d.compose.volumes ?? {}))) problems.push(`${mount.source} at ${dir} is not a named volume`);
    if (d.config.controller?.dataDir !== dir) problems.push(`controller.dataDir ${d.config.controller?.dataDir} is not ${dir}`);
    return problems;
  },

  exposesTheListenPort(d: Deploy, img: Image): string[] {
    const svc = service(d);
    const port = envOf(img.final).get("STACKCTL_LISTEN")?.split(":").pop();
    if (!svc || !port) return ["no service, or the image sets no STACKCTL_LISTEN"];
    const published = [...(svc.expose ?? []), ...(svc.ports ?? [])].map((p) => String(typeof p === "object" ? p.target : p).split(":").pop());
    const problems = published.includes(port) ? [] : [`port ${port} is neither exposed nor published`];
    if (String(d.config.controller?.listen).split(":").pop() !== port) problems.push(`controller.listen is not on port ${port}`);
    return problems;
  },

  /** A compose healthcheck would replace the image's; if there is one, it must still probe /healthz. */
  keepsTheHealthcheck(d: Deploy): string[] {
    const hc = service(d)?.healthcheck;
    if (hc === undefined) return [];
    if (hc.disable === true) return ["the healthcheck is disabled"];
    return JSON.stringify(hc.test ?? "").includes("/healthz") ? [] : ["the healthcheck does not probe /healthz"];
  },

  mountsTheConfig(d: Deploy): string[] {
    const svc = service(d);
    const file = svc?.environment?.STACKCTL_CONFIG;
    if (!svc || typeof file !== "string") return ["STACKCTL_CONFIG is not set"];
    const mount = mounts(svc).find((m) => m.target === file);
    if (!mount) return [`nothing is mounted at ${file}`];
    return d.exists(resolve(d.dir, mount.source)) ? [] : [`${mount.source} does not exist next to the compose file`];
  },

  /** Every `fromFile: /run/secrets/NAME` in the config must be a secret granted to the service. */
  grantsEverySecretFile(d: Deploy): string[] {
    const svc = service(d);
    const wanted = [...JSON.stringify(d.config).matchAll(/"fromFile":"\/run\/secrets\/([^"]+)"/g)].map((m) => m[1]!);
    if (wanted.length === 0) return ["the config reads no file under /run/secrets"];
    const granted = ((svc?.secrets ?? []) as unknown[]).map((s) => (typeof s === "string" ? s : (s as { source: string }).source));
    const declared = Object.keys(d.compose.secrets ?? {});
    return wanted.filter((n) => !granted.includes(n) || !declared.includes(n)).map((n) => `secret ${n} is not declared and granted`);
  },

  /** Docker kills the container after stop_grace_period (10s by default): it must exceed the shutdown bound. */
  waitsForShutdown(d: Deploy): string[] {
    const grace = seconds(service(d)?.stop_grace_period ?? "10s");
    const bound = seconds(d.config.controller?.shutdownTimeout ?? "30s");
    return grace > bound ? [] : [`stop_grace_period ${grace}s does not exceed shutdownTimeout ${bound}s`];
  },
};
