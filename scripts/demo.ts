/**
 * The quick start's main job on a machine with no server: validate the bundled examples, start the Dokploy
 * simulator, apply the examples to it, and show that a second diff finds nothing to do. Secrets the examples
 * reference get throw-away demo values here (and only here): a real controller reads them from its environment
 * or /run/secrets. Usage: node scripts/demo.ts [PATH...] (default: examples).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";
import { loadManifests } from "../specs/load.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const stackctl = fileURLToPath(new URL("../cmd/stackctl.ts", import.meta.url));
const paths = process.argv.length > 2 ? process.argv.slice(2) : ["examples"];

/** Runs one stackctl command as a child process (asynchronously: the simulator lives in this process). */
async function step(title: string, args: string[], env: Record<string, string>, okCodes: number[]): Promise<void> {
  console.log(`\n$ stackctl ${args.join(" ")}    # ${title}`);
  const child = spawn(process.execPath, [stackctl, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: "inherit" });
  const [code] = (await once(child, "close")) as [number | null];
  if (!okCodes.includes(code ?? -1)) throw new Error(`'stackctl ${args.join(" ")}' exited ${code}`);
}

/** Every `{ secret: NAME }` in the examples, found by walking the loaded stacks. */
async function secretNames(): Promise<string[]> {
  const loaded = await loadManifests(paths, { cwd: root });
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (typeof record.secret === "string" && Object.keys(record).length === 1) names.add(record.secret);
      else Object.values(record).forEach(walk);
    }
  };
  loaded.stacks.forEach((s) => walk(s.stack));
  return [...names].sort();
}

const sim = await startDokploySimulator({ latencyMs: 2 });
try {
  const env: Record<string, string> = { DOKPLOY_URL: sim.url, DOKPLOY_API_KEY: sim.apiKey, STACKCTL_SECRETS_DIR: "/nonexistent", NO_COLOR: "1" };
  for (const name of await secretNames()) env[name] = `demo-value-for-${name.toLowerCase()}`;
  console.log(`Dokploy simulator on ${sim.url}; ${Object.keys(env).length - 4} demo secrets set.`);
  await step("check the manifests", ["validate", ...paths], env, [0]);
  await step("what would change (exit 1: changes)", ["diff", ...paths], env, [1]);
  await step("make the server match", ["apply", ...paths], env, [0]);
  await step("nothing left to do (exit 0)", ["diff", ...paths], env, [0]);
  console.log(`\ndemo: done — ${sim.store.projects.length} projects, ${sim.store.applications.length} applications, ${sim.store.domains.length} domains on the simulator.`);
} catch (err) {
  console.error(`demo: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await sim.close();
}
