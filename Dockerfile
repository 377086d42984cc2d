# stackctl image: the controller, `stackctl run`, by default (see "Running the controller" in the
# README and deploy/docker-compose.yml). The CLI verbs work too, by replacing the command:
#   docker run --rm -v "$PWD/stacks:/stacks:ro" stackctl validate /stacks
# Multi-stage: the build stage compiles TypeScript to dist/ and drops dev dependencies; the runtime stage is Node 24
# slim with git and the SSH client for Git sources, runs as a non-root user and keeps its state on a volume.

FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY specs ./specs
COPY controller ./controller
COPY cmd ./cmd
COPY simulators ./simulators
# `npm ci` runs `prepare`, which compiles to dist/; the compiler is a dev dependency, pruned afterwards.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:24-slim
# git and openssh-client: the Git source runs git, over SSH for deploy keys; ca-certificates: HTTPS remotes and
# providers. A numeric uid/gid so that orchestrators can verify "not root" without reading /etc/passwd.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 stackctl \
 && useradd --uid 10001 --gid 10001 --create-home stackctl \
 && mkdir -p /var/lib/stackctl \
 && chown 10001:10001 /var/lib/stackctl
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY schemas ./schemas
# NODE_OPTIONS: V8's young generation grows to 128 MiB by default on Node 24, most of the controller's resident
# memory; 8 MiB semi-spaces cost no measurable CPU for a controller that mostly waits on HTTP (bench/README.md).
# MALLOC_*: glibc keeps freed memory of its arenas resident when it is fragmented, and every socket read is a buffer
# of up to 64 KiB malloc'd then shrunk; two arenas, blocks of 4 KiB and more mapped on their own (unmapped when
# freed) and the arena's free top given back from 64 KiB held a controller of 10,000 stacks tens of MiB lower
# (bench/README.md, "Scale").
ENV STACKCTL_DATA_DIR=/var/lib/stackctl \
    STACKCTL_LISTEN=0.0.0.0:8080 \
    NODE_OPTIONS=--max-semi-space-size=8 \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=4096 \
    MALLOC_TRIM_THRESHOLD_=65536
# The Git checkout and the status records. Declared after the chown: a new volume copies the directory's owner, while
# changes made to a path after it is declared a VOLUME would be discarded.
VOLUME ["/var/lib/stackctl"]
EXPOSE 8080
USER 10001:10001
# node:24-slim has neither curl nor wget: Node's fetch probes the port STACKCTL_LISTEN names (8080 by default).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const port = (process.env.STACKCTL_LISTEN || '').split(':').pop() || '8080'; fetch('http://127.0.0.1:' + port + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, so that node is PID 1 and receives SIGTERM itself (a shell would not forward it): see shutdownTimeout.
ENTRYPOINT ["node", "/app/dist/cmd/bin.js"]
CMD ["run"]
