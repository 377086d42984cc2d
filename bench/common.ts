/**
 * What the apply benchmarks share: a simulator in a child process (so that the client's CPU time is its own), and
 * generated stacks of three applications each, valid on Dokploy and Coolify alike.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SourcedStack } from "../controller/desired.ts";
import { StackSchema } from "../specs/model.ts";
import { normalizeStack } from "../specs/normalize.ts";

const STACKCTL = fileURLToPath(new URL("../cmd/stackctl.ts", import.meta.url));

/** startDevServer runs `stackctl dev-server ARGS` and resolves with its URL (and process id) once it listens. */
export async function startDevServer(args: string[]): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, [STACKCTL, "dev-server", ...args, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  // Keep reading the child's output to the end: a closed pipe would kill it with EPIPE.
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on("exit", () => reject(new Error(`simulator exited: ${out}`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill("SIGTERM") };
}

/**
 * benchStacks generates `n` stacks named `b<n>-<i>`, each with web and api (a domain each) and a worker; with
 * `volumes`, each application also mounts one named volume.
 */
export function benchStacks(n: number, volumes = false): SourcedStack[] {
  return benchManifests(n, volumes).map((manifest) => {
    const stack = StackSchema.parse(manifest);
    return { file: `${stack.metadata.name}.yaml`, stack: normalizeStack(stack) };
  });
}

/** The manifests of benchStacks, as plain objects (what a YAML file of the repository holds). */
export function benchManifests(n: number, volumes = false): { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> }[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `b${n}-${String(i).padStart(5, "0")}`;
    const applications = ["web", "api", "worker"].map((app, j) => ({
      name: app,
      image: `nginx:1.${27 + j}`,
      ports: [8080],
      env: { LOG_LEVEL: "info", INDEX: String(j) },
      ...(app === "worker" ? {} : { domains: [{ host: `${app}.${name}.example.com` }] }),
      ...(volumes ? { volumes: [{ name: `${app}-data`, mountPath: "/data" }] } : {}),
    }));
    return { apiVersion: "stackctl.dev/v1alpha1", kind: "Stack", metadata: { name }, spec: { applications } };
  });
}

/** seconds formats milliseconds for the tables. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
