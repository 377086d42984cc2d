/**
 * The neutral deployment API of both providers against their simulators: a deployment followed to its end with
 * the waiter, the log of a failed one (and of an application's newest deployment, for `stackctl logs`), and
 * Dokploy's empty task list read as "unknown", never as healthy.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { latestDeployment } from "../controller/deploy/types.ts";
import type { DeploymentTicket } from "../controller/deploy/types.ts";
import { waitForDeployment } from "../controller/deploy/wait.ts";
import type { AppSpec } from "../controller/model.ts";
import { createCoolifyProvider } from "../controller/providers/coolify/index.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import { startCoolifySimulator } from "../simulators/coolify/server.ts";
import { startDokploySimulator } from "../simulators/dokploy/server.ts";

const spec: AppSpec = {
  source: { kind: "image", image: "nginx:1.27", registry: null }, command: null, env: {}, buildArgs: {}, ports: [80], replicas: 1,
  cpu: null, memoryBytes: null, volumes: [], healthcheck: null, state: "running",
};
const policy = () => ({ deadline: Date.now() + 10_000, initialPollMs: 10, maxPollMs: 50, scrub: (s: string) => s.replaceAll("hunter22", "[redacted]") });
const who = { stack: "shop", app: "web", subject: "stack/shop app/web" };

test("Dokploy: a failed build ends failed with its log tail; the newest deployment's log is readable; a crashing service is failed", async () => {
  const sim = await startDokploySimulator({ seed: 2 });
  const provider = createDokployProvider({ url: sim.url, apiKey: sim.apiKey });
  try {
    const project = await provider.createProject("shop", "m");
    const env = { projectId: project.id, environmentId: project.defaultEnvironment!.id, environmentName: "production" };
    const { id } = await provider.createApplication(env, "web", "m", spec);
    Object.assign(sim.store.settings.deploy, { outcomes: { web: "fail-build" }, logLines: ["npm ERR! password hunter22 refused"] });
    const ticket = (await provider.deployApplication(id)) as DeploymentTicket;
    assert.equal(ticket.joined, false);
    const failed = await waitForDeployment(provider, ticket, who, policy());
    assert.equal(failed.outcome, "failed");
    assert.equal(failed.reason, "DeploymentFailed");
    assert.equal(failed.record.status, "error");
    assert.ok(failed.record.logTail.includes("npm ERR! password [redacted] refused"), failed.record.logTail.join("\n"));
    assert.ok(failed.record.logTail.includes("❌ Pulling image failed"));
    const newest = await provider.readDeploymentLog!(latestDeployment(id), 5);
    assert.ok(newest.some((l) => l.includes("hunter22")), "unscrubbed: the provider gives what the platform says");
    sim.store.settings.deploy.outcomes = {};
    const ok = await waitForDeployment(provider, (await provider.deployApplication(id)) as DeploymentTicket, who, policy());
    assert.equal(ok.outcome, "succeeded");
    assert.match(ok.message, /deployed and running \(Running/);
    sim.store.deploys.crashService(sim.store.application(id)!.appName);
    assert.equal((await provider.readRuntime!(id)).state, "failed");
  } finally {
    await provider.close();
    await sim.close();
  }
});

test("Dokploy: an empty task list after a done deployment is 'unknown', not healthy", async () => {
  const sim = await startDokploySimulator({ seed: 4 });
  const provider = createDokployProvider({ url: sim.url, apiKey: sim.apiKey });
  try {
    const project = await provider.createProject("shop", "m");
    const env = { projectId: project.id, environmentId: project.defaultEnvironment!.id, environmentName: "production" };
    const { id } = await provider.createApplication(env, "web", "m", spec);
    const ticket = (await provider.deployApplication(id)) as DeploymentTicket;
    await sim.store.settled();
    sim.store.deploys.tasks.clear();
    const report = await waitForDeployment(provider, ticket, who, policy());
    assert.equal(report.outcome, "unknown");
    assert.match(report.message, /whether it runs is unknown/);
  } finally {
    await provider.close();
    await sim.close();
  }
});

test("Coolify: a deploy while one runs is joined; the failed log drops hidden entries", async () => {
  const sim = await startCoolifySimulator({ seed: 2 });
  const provider = createCoolifyProvider({ url: sim.url, token: sim.token, server: "localhost", rateLimit: { requestsPerSecond: 1000 } });
  try {
    const project = await provider.createProject("shop", "[managed-by stackctl instance=ci stack=shop]");
    const env = { projectId: project.id, environmentId: project.defaultEnvironment!.id, environmentName: "production" };
    const { id } = await provider.createApplication(env, "web", "[managed-by stackctl instance=ci stack=shop]", spec);
    Object.assign(sim.store.deploys.knobs, { outcome: "fail-start", durationMs: 200 });
    const first = (await provider.deployApplication(id)) as DeploymentTicket;
    const second = (await provider.deployApplication(id)) as DeploymentTicket;
    assert.equal(second.joined, true);
    assert.equal(second.deploymentId, first.deploymentId, "the real deployment, not the unsaved uuid of 'already queued'");
    const report = await waitForDeployment(provider, second, who, policy());
    assert.equal(report.outcome, "failed");
    assert.equal(report.record.status, "failed");
    assert.ok(report.record.logTail.includes("New container is not healthy, rolling back to the old container."));
    assert.ok(!report.record.logTail.some((l) => l.includes("docker inspect")), "hidden entries are left out");
    assert.deepEqual(await provider.readDeploymentLog!(latestDeployment(id), 2), report.record.logTail.slice(-2));
  } finally {
    await provider.close();
    await sim.close();
  }
});
