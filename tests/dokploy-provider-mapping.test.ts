import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import type { AppSpec, HealthcheckSpec } from "../controller/model.ts";
import { dokployUnsupported } from "../controller/providers/dokploy/capabilities.ts";
import { createDokployProvider } from "../controller/providers/dokploy/index.ts";
import { appSpecFromRow, domainsFromRows, healthcheckFromSwarm, healthcheckToSwarm } from "../controller/providers/dokploy/mapping.ts";
import { ApplicationRow } from "../controller/providers/dokploy/rows.ts";
import { updateColumns } from "../controller/providers/dokploy/writes.ts";

/** Bodies recorded from Dokploy v0.30.2 (exchanges #35, #36, #52, #67, #68), trimmed to the mapped columns. */
const REC = {"web":{"applicationId":"0xZhcTZf3PQxS19V38iCZ","name":"web","description":"managed-by: gitops-reconciler; key: web; rev: 2","appName":"web-8rz6ud","sourceType":"docker","dockerImage":"nginx:1.27-alpine","username":null,"password":null,"registryUrl":null,"customGitUrl":null,"customGitBranch":null,"customGitBuildPath":null,"owner":null,"repository":null,"branch":null,"buildPath":"/","buildType":"nixpacks","dockerfile":"Dockerfile","dockerContextPath":null,"command":"nginx -g 'daemon off;'","env":"A=1\nB=2","buildArgs":null,"replicas":2,"cpuLimit":"500000000","memoryLimit":"268435456","healthCheckSwarm":null,"applicationStatus":"idle","mounts":[],"domains":[],"deployments":[]},"worker":{"applicationId":"-GTn1PHGxkffZjsi00ivc","name":"worker","description":"managed-by: gitops-reconciler; key: worker","appName":"app-calculate-back-end-firewall-g75yh2","sourceType":"git","dockerImage":null,"username":null,"password":null,"registryUrl":null,"customGitUrl":"https://git.example.test/acme/worker.git","customGitBranch":"main","customGitBuildPath":"/","owner":null,"repository":null,"branch":null,"buildPath":"/","buildType":"dockerfile","dockerfile":"Dockerfile","dockerContextPath":".","command":null,"env":null,"buildArgs":null,"replicas":1,"cpuLimit":null,"memoryLimit":null,"healthCheckSwarm":null,"applicationStatus":"idle","mounts":[],"domains":[],"deployments":[]},"webWithDomain":{"applicationId":"0xZhcTZf3PQxS19V38iCZ","name":"web","description":"managed-by: gitops-reconciler; key: web; rev: 2","appName":"web-8rz6ud","sourceType":"docker","dockerImage":"nginx:1.27-alpine","username":null,"password":null,"registryUrl":null,"customGitUrl":null,"customGitBranch":null,"customGitBuildPath":null,"owner":null,"repository":null,"branch":null,"buildPath":"/","buildType":"nixpacks","dockerfile":"Dockerfile","dockerContextPath":null,"command":"nginx -g 'daemon off;'","env":"A=1\nB=2","buildArgs":null,"replicas":2,"cpuLimit":"500000000","memoryLimit":"268435456","healthCheckSwarm":null,"applicationStatus":"idle","mounts":[],"domains":[{"domainId":"yMtXLoIrq_OEwF_Ezr3Io","host":"web.example.test","https":false,"port":8080,"customEntrypoint":null,"path":"/","serviceName":null,"domainType":"application","uniqueConfigKey":7,"createdAt":"2026-11-21T03:53:56.763Z","composeId":null,"customCertResolver":null,"applicationId":"0xZhcTZf3PQxS19V38iCZ","previewDeploymentId":null,"certificateType":"none","internalPath":"/","stripPath":false,"middlewares":[],"forwardAuthEnabled":false,"enabled":true}],"deployments":[{"deploymentId":"kvJXFpJsBNpS1f6q4SVZD","status":"error"},{"deploymentId":"Il8RusYXFZJ2jHFVLeUgQ","status":"error"}]},"projectAll":[{"projectId":"YDoOI-kNhdoeSceTNsyBi","name":"gitops-demo","description":"managed-by: gitops-reconciler; source: demo/repo; rev: 2","createdAt":"2026-11-21T03:53:24.887Z","organizationId":"U2_vmtZIqfWrB0Ewaf2gR","env":"","environments":[{"name":"production","environmentId":"7dMOHt6w73LXmZYWNlX14","isDefault":true,"applications":[{"applicationId":"0xZhcTZf3PQxS19V38iCZ","name":"web","applicationStatus":"idle"},{"applicationId":"-GTn1PHGxkffZjsi00ivc","name":"worker","applicationStatus":"error"}],"mariadb":[],"mongo":[],"mysql":[],"postgres":[],"redis":[],"compose":[{"composeId":"PbmbWsuvPfyrbZl86ARhv","name":"stack","composeStatus":"idle"}],"libsql":[]}],"projectTags":[{"id":"vwP4pgudylAnqMpfNYoS_","projectId":"YDoOI-kNhdoeSceTNsyBi","tagId":"rYdmWP-nVYO_1buN4keUw","tag":{"tagId":"rYdmWP-nVYO_1buN4keUw","name":"managed-by-gitops","color":"#16a34a","createdAt":"2026-11-21T03:54:01.720Z","organizationId":"U2_vmtZIqfWrB0Ewaf2gR"}}]}],"projectOne":{"projectId":"YDoOI-kNhdoeSceTNsyBi","name":"gitops-demo","description":"managed-by: gitops-reconciler; source: demo/repo; rev: 2","createdAt":"2026-11-21T03:53:24.887Z","organizationId":"U2_vmtZIqfWrB0Ewaf2gR","env":"","environments":[{"environmentId":"7dMOHt6w73LXmZYWNlX14","name":"production","description":"Production environment (managed)","createdAt":"2026-11-21T03:53:24.888Z","env":"","projectId":"YDoOI-kNhdoeSceTNsyBi","isDefault":true,"applications":[{"name":"web","description":"managed-by: gitops-reconciler; key: web; rev: 2","appName":"web-8rz6ud","createdAt":"2026-11-21T03:53:33.471Z","serverId":null,"applicationStatus":"idle","applicationId":"0xZhcTZf3PQxS19V38iCZ","icon":null,"server":null},{"name":"worker","description":"managed-by: gitops-reconciler; key: worker","appName":"app-calculate-back-end-firewall-g75yh2","createdAt":"2026-11-21T03:53:33.783Z","serverId":null,"applicationStatus":"error","applicationId":"-GTn1PHGxkffZjsi00ivc","icon":null,"server":null}],"compose":[{"name":"stack","description":"managed-by: gitops-reconciler; key: stack","appName":"stack-sfvusb","createdAt":"2026-11-21T03:54:03.151Z","serverId":null,"composeId":"PbmbWsuvPfyrbZl86ARhv","composeStatus":"idle","server":null}],"libsql":[],"mariadb":[],"mongo":[],"mysql":[],"postgres":[],"redis":[]}],"projectTags":[{"id":"vwP4pgudylAnqMpfNYoS_","projectId":"YDoOI-kNhdoeSceTNsyBi","tagId":"rYdmWP-nVYO_1buN4keUw","tag":{"tagId":"rYdmWP-nVYO_1buN4keUw","name":"managed-by-gitops","color":"#16a34a","createdAt":"2026-11-21T03:54:01.720Z","organizationId":"U2_vmtZIqfWrB0Ewaf2gR"}}]}} as const;

const row = (body: unknown) => ApplicationRow.parse(body);

describe("dokploy mapping (recorded v0.30.2 bodies)", () => {
  it("reads an image application with command, replicas and limits", () => {
    assert.deepEqual(appSpecFromRow(row(REC.web)), {
      source: { kind: "image", image: "nginx:1.27-alpine", registry: null },
      command: "nginx -g 'daemon off;'",
      env: { A: "1", B: "2" },
      buildArgs: {},
      replicas: 2,
      cpu: 0.5,
      memoryBytes: 268435456,
      healthcheck: null,
      volumes: [],
      state: "stopped",
    });
  });

  it("reads a custom Git application with a Dockerfile build", () => {
    const spec = appSpecFromRow(row(REC.worker));
    assert.deepEqual(spec.source, { kind: "git", url: "https://git.example.test/acme/worker.git", branch: "main", path: "/", build: { type: "dockerfile", dockerfile: "Dockerfile" } });
    assert.equal(spec.cpu, null);
    assert.equal(spec.memoryBytes, null);
    assert.equal(spec.command, null);
  });

  it("reads domains", () => {
    assert.deepEqual(domainsFromRows(row(REC.webWithDomain).domains ?? []), [{ id: "yMtXLoIrq_OEwF_Ezr3Io", host: "web.example.test", path: "/", port: 8080, https: false }]);
  });

  it("writes the columns Dokploy recorded for command, replicas and limits (#33)", () => {
    const spec = appSpecFromRow(row(REC.web)) as AppSpec;
    assert.deepEqual(updateColumns(spec, new Set(["command", "replicas", "cpu", "memoryBytes"])), {
      command: "nginx -g 'daemon off;'",
      replicas: 2,
      cpuLimit: "500000000",
      memoryLimit: "268435456",
    });
  });

  it("maps health checks to Swarm nanoseconds and back", () => {
    const h: HealthcheckSpec = { type: "command", command: ["curl", "-f", "http://localhost/"], intervalMs: 30_000, timeoutMs: 5_000, retries: 3 };
    assert.deepEqual(healthcheckToSwarm(h), { Test: ["CMD", "curl", "-f", "http://localhost/"], Interval: 30_000_000_000, Timeout: 5_000_000_000, Retries: 3 });
    assert.deepEqual(healthcheckFromSwarm(healthcheckToSwarm(h)), h);
    const shell = healthcheckFromSwarm({ Test: ["CMD-SHELL", "pg_isready"] });
    assert.deepEqual(shell?.type === "command" ? shell.command : undefined, ["/bin/sh", "-c", "pg_isready"]);
    assert.equal(healthcheckFromSwarm({ Test: ["NONE"] }), null);
  });

  it("writes an HTTP health check as a curl-or-wget probe and reads it back as HTTP", () => {
    const h: HealthcheckSpec = { type: "http", path: "/healthz", port: 8080, intervalMs: 10_000, timeoutMs: 2_000, retries: 5 };
    const swarm = healthcheckToSwarm(h);
    assert.deepEqual(swarm?.Test, ["CMD-SHELL", "curl -fsS -o /dev/null http://localhost:8080/healthz || wget -q -O /dev/null http://localhost:8080/healthz || exit 1"]);
    assert.deepEqual(healthcheckFromSwarm(swarm), h);
    const edited = healthcheckFromSwarm({ Test: ["CMD-SHELL", "curl -fsS -o /dev/null http://localhost:8080/healthz || exit 1"] });
    assert.equal(edited?.type, "command", "a probe edited by hand is a command, so the plan shows it as drift");
  });

  it("round-trips fractional cores", () => {
    for (const cpu of [0.1, 0.25, 1, 1.5, 2, 0.001]) {
      const columns = updateColumns({ cpu } as AppSpec, new Set(["cpu"]));
      assert.equal(appSpecFromRow(row({ ...REC.web, cpuLimit: columns.cpuLimit })).cpu, cpu);
    }
  });
});

describe("dokploy capabilities", () => {
  const base: AppSpec = {
    source: { kind: "image", image: "nginx", registry: null },
    command: null, env: {}, buildArgs: {}, ports: [80], replicas: 1, cpu: null, memoryBytes: null, volumes: [], healthcheck: null, state: "running",
  };

  it("accepts a plain spec", () => {
    assert.deepEqual(dokployUnsupported(base, "spec.applications[0]"), []);
  });

  it("reports inline Dockerfiles, read-only mounts and unwritable env values", () => {
    const spec: AppSpec = {
      ...base,
      source: { kind: "dockerfile", dockerfile: "FROM nginx" },
      healthcheck: { type: "http", path: "/health", port: 80, intervalMs: 1000, timeoutMs: 1000, retries: 3 },
      volumes: [{ type: "volume", name: "data", mountPath: "/data", readOnly: true }],
      env: { OK: "x", BAD: "a'b`c\"d\n" },
    };
    const issues = dokployUnsupported(spec, "spec.applications[2]");
    assert.deepEqual(issues.map((i) => i.field), [
      "spec.applications[2].dockerfile",
      "spec.applications[2].volumes[0].readOnly",
      "spec.applications[2].env.BAD",
    ]);
    for (const issue of issues) assert.ok(!issue.message.includes("a'b"), "a value leaked into a message");
  });
});

describe("dokploy observe over recorded answers", () => {
  it("reads 1 + P + A requests and skips applications the caller marks unchanged", async () => {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      paths.push(url.pathname + url.search);
      const id = url.searchParams.get("applicationId");
      const body =
        url.pathname === "/api/project.all" ? REC.projectAll
        : url.pathname === "/api/project.one" ? REC.projectOne
        : id === REC.web.applicationId ? REC.webWithDomain
        : id === REC.worker.applicationId ? REC.worker
        : undefined;
      res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(body ?? { message: "Not found" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = createDokployProvider({ url, apiKey: "k-secret" });
    after(() => provider.close());

    const state = await provider.observe({ instance: "prod", projectNames: new Set(["gitops-demo"]) });
    assert.equal(paths.length, 1 + 1 + 2);
    const project = state.projects[0]!;
    assert.equal(project.detailed, true);
    const env = project.environments[0]!;
    assert.equal(env.isDefault, true);
    assert.equal(env.description, "Production environment (managed)");
    const web = env.applications.find((a) => a.name === "web")!;
    assert.deepEqual(web.domains, [{ id: "yMtXLoIrq_OEwF_Ezr3Io", host: "web.example.test", path: "/", port: 8080, https: false }]);
    assert.equal(web.spec?.replicas, 2);

    paths.length = 0;
    const partial = await provider.observe({ instance: "prod", projectNames: new Set(["gitops-demo"]), detailApplications: (_p, _e, app) => app === "worker" });
    assert.equal(paths.filter((p) => p.startsWith("/api/application.one")).length, 1);
    const skipped = partial.projects[0]!.environments[0]!.applications.find((a) => a.name === "web")!;
    assert.equal(skipped.spec, undefined);
    assert.equal(skipped.description, "managed-by: gitops-reconciler; key: web; rev: 2");

    paths.length = 0;
    const none = await provider.observe({ instance: "prod", projectNames: new Set() });
    assert.deepEqual(paths, ["/api/project.all"]);
    assert.equal(none.projects[0]!.detailed, false);
  });
});
