/**
 * The image and its deployment example, checked statically (no Docker engine exists on the development machines):
 * the Dockerfile's stages, copied files, user, entrypoint, command, healthcheck and packages, and the compose
 * example's agreement with them. Every check also runs against a broken input, to show that it can fail.
 */
import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { Dirent } from "node:fs";
import { join, matchesGlob, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { composeChecks, seconds } from "./helpers/compose-checks.ts";
import type { Deploy } from "./helpers/compose-checks.ts";
import { parseDockerfile } from "./helpers/dockerfile.ts";
import { imageChecks, readImage } from "./helpers/image-checks.ts";
import type { RepoView } from "./helpers/image-checks.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");

const repo: RepoView = {
  exists: (path) => existsSync(join(root, path)),
  dockerignore: read(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")),
  bin: (JSON.parse(read("package.json")) as { bin: { stackctl: string } }).bin.stackctl,
  buildIncludes: (JSON.parse(read("tsconfig.build.json")) as { include: string[] }).include,
};
const image = readImage(read("Dockerfile"));

const deploy: Deploy = {
  compose: parse(read("deploy/docker-compose.yml")),
  config: parse(read("deploy/stackctl.yaml")),
  dir: join(root, "deploy"),
  root: join(root, "."),
  exists: existsSync,
};

// Wrong in every way the checks look at: one stage, an old base, a missing and an ignored COPY source, root, a
// shell-form entrypoint, the CLI's help as command, a curl probe elsewhere, no SSH client, no volume or port.
const BROKEN = `FROM node:22 AS app
COPY no-such-dir ./x
COPY tests ./tests
RUN npm ci && apt-get update && apt-get install -y git
ENV STACKCTL_DATA_DIR=/data STACKCTL_LISTEN=0.0.0.0:9090
USER root
HEALTHCHECK CMD curl -f http://localhost:9090/ping
ENTRYPOINT node /app/dist/cmd/other.js
CMD ["--help"]
`;

// What each check must say about BROKEN: a check that failed for another reason would not prove it can fail.
const BROKEN_SAYS: Record<keyof typeof imageChecks, RegExp> = {
  multiStage: /1 stage/,
  finalIsNode24Slim: /FROM node:22;/,
  copySourcesExist: /no-such-dir does not exist.*tests is excluded by \.dockerignore/s,
  buildCopiesWhatItCompiles: /does not copy specs, .*does not copy simulators, .*does not copy tsconfig\.json/s,
  nonRootUser: /USER root is root/,
  entrypointRunsStackctl: /not in exec form/,
  cmdIsRun: /--help/,
  healthcheckOnHealthz: /does not probe \/healthz.*curl or wget/s,
  installsGitAndSsh: /openssh-client is not installed/,
  dataVolumeAndPort: /\/data is not declared a VOLUME.*not chowned.*port 9090/s,
};

for (const [name, check] of Object.entries(imageChecks)) {
  test(`Dockerfile: ${name}`, () => {
    assert.deepEqual(check(image, repo), []);
  });
  test(`Dockerfile: ${name} fails on a broken Dockerfile`, () => {
    assert.match(check(readImage(BROKEN), repo).join("\n"), BROKEN_SAYS[name as keyof typeof imageChecks]);
  });
}

test("Dockerfile: an exec-form entrypoint running another script, or a USER set after it, is refused", () => {
  const other = readImage('FROM node:24-slim\nUSER 10001\nENTRYPOINT ["node", "/app/dist/cmd/other.js"]\n');
  assert.match(imageChecks.entrypointRunsStackctl(other, repo).join(), new RegExp(`does not run node ${repo.bin.replace(/\./g, "\\.")}`));
  const late = readImage('FROM node:24-slim\nENTRYPOINT ["node", "/app/dist/cmd/stackctl.js"]\nUSER 10001\n');
  assert.match(imageChecks.nonRootUser(late).join(), /no USER .* before ENTRYPOINT/);
});

test("the Dockerfile reader joins continuations, drops comments and keeps first lines", () => {
  const ins = parseDockerfile("FROM a\n# c\nRUN x \\\n  # inside\n  && y\nCMD [\"run\"]\n");
  assert.deepEqual(ins, [
    { keyword: "FROM", args: "a", line: 1 },
    { keyword: "RUN", args: "x && y", line: 3 },
    { keyword: "CMD", args: '["run"]', line: 6 },
  ]);
});

// A compose file and config that contradict the image: another port, no volume, a missing config file, an
// undeclared secret, a disabled healthcheck and Docker's default 10 s before SIGKILL.
const BROKEN_DEPLOY: Deploy = {
  ...deploy,
  compose: {
    services: {
      stackctl: {
        build: { context: "." },
        command: ["run"],
        environment: { STACKCTL_CONFIG: "/etc/stackctl/stackctl.yaml" },
        volumes: ["/srv/data:/var/lib/stackctl", "./missing.yaml:/etc/stackctl/stackctl.yaml:ro"],
        ports: ["9090:9090"],
        healthcheck: { disable: true },
      },
    },
  },
  config: {
    controller: { listen: "0.0.0.0:9090", dataDir: "/data", shutdownTimeout: "30s" },
    source: { git: { auth: { token: { fromFile: "/run/secrets/git-token" } } } },
  },
};

const BROKEN_DEPLOY_SAYS: Record<keyof typeof composeChecks, RegExp> = {
  buildsTheDockerfile: /not the repository root/,
  mountsTheDataVolume: /not a named volume.*dataDir \/data/s,
  exposesTheListenPort: /port 8080 is neither.*controller\.listen/s,
  keepsTheHealthcheck: /disabled/,
  mountsTheConfig: /missing\.yaml does not exist/,
  grantsEverySecretFile: /git-token is not declared/,
  waitsForShutdown: /10s does not exceed shutdownTimeout 30s/,
};

for (const [name, check] of Object.entries(composeChecks)) {
  test(`deploy/docker-compose.yml: ${name}`, () => {
    assert.deepEqual(check(deploy, image), []);
  });
  test(`deploy/docker-compose.yml: ${name} fails when it contradicts the image`, () => {
    assert.match(check(BROKEN_DEPLOY, image).join("\n"), BROKEN_DEPLOY_SAYS[name as keyof typeof composeChecks]);
  });
}

test("durations read as the config writes them", () => {
  assert.equal(seconds("30s"), 30);
  assert.equal(seconds("1m30s"), 90);
  assert.equal(seconds("500ms"), 0.5);
  assert.ok(Number.isNaN(seconds("30")));
});

/** The files under the folders the build compiles that a .dockerignore pattern would keep out of the build context. */
function ignoredBuildInputs(patterns: string[]): string[] {
  const files = repo.buildIncludes.flatMap((dir) => (readdirSync(join(root, dir), { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name))));
  return files.filter((f) => patterns.some((p) => !p.startsWith("!") && (matchesGlob(f, p) || f.startsWith(`${p.replace(/\/$/, "")}/`))));
}

test("Dockerfile: nothing the build compiles is kept out of the build context (the Coolify contract included)", () => {
  assert.deepEqual(ignoredBuildInputs(repo.dockerignore), []);
  assert.ok(existsSync(join(root, "simulators/coolify/contract/coolify-openapi.json")));
  assert.ok(ignoredBuildInputs(["**/*.json"]).includes("simulators/coolify/contract/coolify-openapi.json"), "a pattern that would drop it is seen");
});
