# stackctl image: multi-stage build on Node 24 slim, running as a non-root user.
# The controller verb (`stackctl run`, with a HEALTHCHECK on /healthz) arrives with the controller issue; until then
# the image runs the CLI verbs, e.g. `docker run --rm -v $PWD/stacks:/stacks stackctl diff /stacks`.

FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY specs ./specs
COPY controller ./controller
COPY cmd ./cmd
COPY simulators ./simulators
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:24-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 stackctl
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY schemas ./schemas
USER stackctl
ENTRYPOINT ["node", "/app/dist/cmd/stackctl.js"]
CMD ["--help"]
