/**
 * The Coolify contract the simulator carries (simulators/coolify/contract/): every route the simulator serves is an
 * operation of the trimmed OpenAPI document, every reference in it resolves, and the trimming keeps exactly what it
 * is asked for plus what that references. (The refresh against the reference itself runs in .ci/run, where the
 * reference is present: tests never read outside the repository.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import spec from "../simulators/coolify/contract/coolify-openapi.json" with { type: "json" };
import { applicationRoutes } from "../simulators/coolify/routes/applications.ts";
import { deploymentRoutes } from "../simulators/coolify/routes/deployments.ts";
import { envRoutes } from "../simulators/coolify/routes/envs.ts";
import { projectRoutes } from "../simulators/coolify/routes/projects.ts";
import { storageRoutes } from "../simulators/coolify/routes/storages.ts";
import { COOLIFY_PATHS, trimOpenApi } from "../scripts/refresh-contracts.ts";

const doc = spec as unknown as { paths: Record<string, Record<string, unknown>>; components: Record<string, Record<string, unknown>> };

test("every route the Coolify simulator serves is an operation of the contract", () => {
  const routes = [...projectRoutes, ...applicationRoutes, ...envRoutes, ...storageRoutes, ...deploymentRoutes];
  assert.ok(routes.length >= 20, `only ${routes.length} routes`);
  const missing = routes.filter((r) => doc.paths[r.template]?.[r.method.toLowerCase()] === undefined).map((r) => `${r.method} ${r.template}`);
  assert.deepEqual(missing, []);
});

test("the contract holds the paths the refresh keeps, and every reference in it resolves", () => {
  assert.deepEqual(Object.keys(doc.paths).sort(), [...COOLIFY_PATHS].sort());
  const text = JSON.stringify(spec);
  const dangling = [...text.matchAll(/"\$ref":"#\/components\/(\w+)\/([\w.-]+)"/g)].filter(([, kind, name]) => doc.components[kind!]?.[name!] === undefined).map((m) => m[0]);
  assert.deepEqual(dangling, []);
});

test("trimming keeps the named paths and the components they reference, transitively, and nothing else", () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const full = {
    openapi: "3.1.0",
    info: { title: "t" },
    paths: { "/a": { get: { responses: { 200: { content: { "application/json": { schema: ref("A") } } } } } }, "/b": { get: { schema: ref("B") } } },
    components: { schemas: { A: { properties: { c: ref("C") } }, B: {}, C: {}, D: {} } },
  };
  const trimmed = trimOpenApi(full, ["/a"]);
  assert.deepEqual(Object.keys(trimmed.paths), ["/a"]);
  assert.deepEqual(Object.keys(trimmed.components?.schemas ?? {}).sort(), ["A", "C"]);
  assert.throws(() => trimOpenApi(full, ["/nope"]), /no path \/nope/);
  assert.throws(() => trimOpenApi({ ...full, components: { schemas: {} } }, ["/a"]), /dangling reference #\/components\/schemas\/A/);
});
