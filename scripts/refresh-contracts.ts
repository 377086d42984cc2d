/**
 * Refreshes the provider contracts the simulators and their tests carry (simulators/<provider>/contract/) from the
 * provider API references, when a `shared/provider-apis/` directory sits beside the repository (the team's
 * reference material; a user's clone does not have it, and nothing but this script ever reads it).
 *
 *   node scripts/refresh-contracts.ts [--from DIR] [--check]
 *
 * `--from` names the provider-apis directory (default ../shared/provider-apis); `--check` writes nothing and exits 1
 * when a contract file differs from what a refresh would write. Without the directory it says so and exits 0.
 *
 * Coolify: the OpenAPI document is trimmed to the paths listed in COOLIFY_PATHS (what the provider and the simulator
 * speak, plus the storages and deployments endpoints the next features use) and the components they reference,
 * and stored as JSON so that the compiler copies it into dist/ beside the simulator that imports it.
 * Dokploy: the CRUD recordings are copied whole (the contract test replays every exchange); of the deployment
 * recordings, the exchanges the simulator covers (DOKPLOY_DEPLOYMENT_EXCHANGES), each with its number.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "yaml";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The Coolify API paths kept (whole path items, every method). */
export const COOLIFY_PATHS = [
  "/applications",
  "/applications/public",
  "/applications/dockerfile",
  "/applications/dockerimage",
  "/applications/{uuid}",
  "/applications/{uuid}/envs",
  "/applications/{uuid}/envs/bulk",
  "/applications/{uuid}/envs/{env_uuid}",
  "/applications/{uuid}/start",
  "/applications/{uuid}/stop",
  "/applications/{uuid}/restart",
  "/applications/{uuid}/storages",
  "/applications/{uuid}/storages/{storage_uuid}",
  "/deploy",
  "/deployments",
  "/deployments/{uuid}",
  "/deployments/applications/{uuid}",
  "/projects",
  "/projects/{uuid}",
  "/projects/{uuid}/{environment_name_or_uuid}",
  "/projects/{uuid}/environments",
  "/projects/{uuid}/environments/{environment_name_or_uuid}",
  "/servers",
  "/servers/{uuid}",
  "/servers/{server_uuid}/destinations",
  "/version",
  "/health",
];

/**
 * The exchanges of the Dokploy deployment recordings the simulator covers (1-based, as the recordings' README numbers
 * them), replayed by tests/simulator-dokploy-deployments-contract.test.ts; each keeps its number.
 */
export const DOKPLOY_DEPLOYMENT_EXCHANGES = [...range(1, 19), 22, 23, 24, ...range(29, 37), 86, 97];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface OpenApi {
  openapi: string;
  info: Json;
  servers?: Json;
  paths: Record<string, Json>;
  components?: Record<string, Record<string, Json>>;
  tags?: Json;
}

/** Every `#/components/<kind>/<name>` reference under `value`. */
function refs(value: Json, out: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/")) out.add(v.slice("#/components/".length));
      else refs(v, out);
    }
  }
  return out;
}

/** trimOpenApi keeps `paths` and, transitively, the components they reference; it throws on a missing path. */
export function trimOpenApi(doc: OpenApi, paths: readonly string[]): OpenApi {
  const kept: Record<string, Json> = {};
  for (const path of paths) {
    const item = doc.paths[path];
    if (item === undefined) throw new Error(`the OpenAPI document has no path ${path}`);
    kept[path] = item;
  }
  const wanted = refs(kept, new Set());
  const components: Record<string, Record<string, Json>> = {};
  const queue = [...wanted];
  while (queue.length > 0) {
    const ref = queue.pop()!;
    const [kind, name] = ref.split("/") as [string, string];
    const value = doc.components?.[kind]?.[name];
    if (value === undefined) throw new Error(`dangling reference #/components/${ref}`);
    (components[kind] ??= {})[name] = value;
    for (const next of refs(value, new Set())) if (!wanted.has(next)) wanted.add(next), queue.push(next);
  }
  return { openapi: doc.openapi, info: doc.info, ...(doc.servers ? { servers: doc.servers } : {}), paths: kept, components };
}

/** One contract file: where it comes from (relative to provider-apis) and what to write. */
interface Contract {
  from: string;
  to: string;
  render: (text: string) => string;
}

/** The contract files, with how each is derived from its reference. */
export const CONTRACTS: Contract[] = [
  {
    from: "coolify-openapi.yaml",
    to: "simulators/coolify/contract/coolify-openapi.json",
    render: (text) => `${JSON.stringify(trimOpenApi(parse(text) as OpenApi, COOLIFY_PATHS), null, 1)}\n`,
  },
  { from: "dokploy-recordings/v0.30.2.json", to: "simulators/dokploy/contract/recordings-v0.30.2.json", render: (text) => text },
  {
    from: "dokploy-recordings/v0.30.2-deployments.json",
    to: "simulators/dokploy/contract/deployments-v0.30.2.json",
    render: (text) => {
      const all = JSON.parse(text) as Json[];
      const kept = DOKPLOY_DEPLOYMENT_EXCHANGES.map((n) => ({ number: n, ...(all[n - 1] as Record<string, Json>) }));
      return `${JSON.stringify(kept, null, 1)}\n`;
    },
  },
];

function main(): number {
  const { values } = parseArgs({ options: { from: { type: "string" }, check: { type: "boolean", default: false } } });
  const from = resolve(values.from ?? join(root, "..", "shared", "provider-apis"));
  if (!existsSync(from)) {
    console.log(`refresh-contracts: ${from} is not here; the contracts in simulators/*/contract/ stay as they are`);
    return 0;
  }
  let stale = 0;
  for (const contract of CONTRACTS) {
    const next = contract.render(readFileSync(join(from, contract.from), "utf8"));
    const target = join(root, contract.to);
    const current = existsSync(target) ? readFileSync(target, "utf8") : null;
    if (current === next) {
      console.log(`${contract.to}: up to date`);
      continue;
    }
    stale++;
    if (values.check) {
      console.log(`${contract.to}: differs from ${contract.from}`);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, next);
    console.log(`${contract.to}: refreshed from ${contract.from}`);
  }
  return values.check && stale > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
