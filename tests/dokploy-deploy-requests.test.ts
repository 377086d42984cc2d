/**
 * What a Dokploy deploy costs in requests (issue 13): the first deploy of an application the provider just created
 * sends `application.deploy` alone, and is still followed to its end; later deploys look at the application's rows
 * and the queue first, and deploys asking at the same time read the queue (the whole server's) once between them.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DeploymentTicket } from "../controller/deploy/types.ts";
import { waitForDeployment } from "../controller/deploy/wait.ts";
import type { AppSpec } from "../controller/model.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";

const spec: AppSpec = {
  source: { kind: "image", image: "nginx:1.27", registry: null }, command: null, env: {}, buildArgs: {}, ports: [80], replicas: 1,
  cpu: null, memoryBytes: null, volumes: [], healthcheck: null, state: "running",
};
const policy = () => ({ deadline: Date.now() + 10_000, initialPollMs: 10, maxPollMs: 50, scrub: (s: string) => s });

async function world() {
  const sim = await startDokploySimulator({ seed: 7 });
  const paths: string[] = [];
  const provider = createDokployProvider({ url: sim.url, apiKey: sim.apiKey, onRequest: (info) => paths.push(info.path.split("?")[0]!) });
  const project = await provider.createProject("shop", "m");
  const env = { projectId: project.id, environmentId: project.defaultEnvironment!.id, environmentName: "production" };
  const close = async () => {
    await provider.close();
    await sim.close();
  };
  return { sim, provider, env, paths, close };
}

test("Dokploy: a just-created application's first deploy is one request, and is still waited for to its end", async () => {
  const { sim, provider, env, paths, close } = await world();
  try {
    const { id } = await provider.createApplication(env, "web", "m", spec);
    paths.length = 0;
    const ticket = (await provider.deployApplication(id)) as DeploymentTicket;
    assert.deepEqual(paths, ["/application.deploy"]);
    const report = await waitForDeployment(provider, ticket, { stack: "shop", app: "web", subject: "stack/shop app/web" }, policy());
    assert.equal(report.outcome, "succeeded", report.message);
    assert.equal(report.record.status, "done");
    assert.ok(!paths.includes("/application.one"), `the service name came with the create: ${paths.join(" ")}`);
    // The next deploy of the same application is not a first one: rows and queue are read before it.
    await sim.store.settled();
    paths.length = 0;
    const again = (await provider.deployApplication(id)) as DeploymentTicket;
    assert.deepEqual([...paths].sort(), ["/application.deploy", "/deployment.allByType", "/deployment.queueList"]);
    assert.notEqual(again.after, null, "the second deployment is the first row newer than the first one");
    assert.equal((await waitForDeployment(provider, again, { stack: "shop", app: "web", subject: "stack/shop app/web" }, policy())).outcome, "succeeded");
  } finally {
    await close();
  }
});

test("Dokploy: an application created by another process (or before a restart) is not taken for a fresh one", async () => {
  const { sim, provider, env, paths, close } = await world();
  const other = createDokployProvider({ url: sim.url, apiKey: sim.apiKey });
  try {
    const { id } = await other.createApplication(env, "web", "m", spec);
    paths.length = 0;
    await provider.deployApplication(id);
    assert.deepEqual([...paths].sort(), ["/application.deploy", "/deployment.allByType", "/deployment.queueList"]);
  } finally {
    await other.close();
    await close();
  }
});

test("Dokploy: deploys started together read the server's queue once", async () => {
  const { sim, provider, env, paths, close } = await world();
  try {
    const ids: string[] = [];
    for (const name of ["a", "b", "c", "d", "e"]) {
      const { id } = await provider.createApplication(env, name, "m", spec);
      await provider.deployApplication(id); // the first deploys; what follows are redeploys
      ids.push(id);
    }
    await sim.store.settled();
    paths.length = 0;
    await Promise.all(ids.map((id) => provider.deployApplication(id)));
    assert.equal(paths.filter((p) => p === "/deployment.queueList").length, 1, paths.join(" "));
    assert.equal(paths.filter((p) => p === "/deployment.allByType").length, 5);
    assert.equal(paths.filter((p) => p === "/application.deploy").length, 5);
  } finally {
    await close();
  }
});
