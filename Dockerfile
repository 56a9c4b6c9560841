# syntax=docker/dockerfile:1
# Multi-stage build: compile with dev dependencies, ship only production ones.
# `docker build .` builds the production image (the last stage, runtime);
# `docker build --target dev .` the development one (see the compose file's dev profile).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Development: every dependency, no source of its own. Run it with the repository mounted
# on /app and node_modules in a volume of its own (the image's, built for Linux);
# `nest start --watch` compiles into the mounted dist/ and restarts the API on every change.
FROM deps AS dev
ENV PATH=/app/node_modules/.bin:$PATH \
    PORT=3000 \
    HOST=0.0.0.0
USER node
EXPOSE 3000
# The nest CLI itself (what `npx nest` runs), without npm in between: it needs no writable home.
CMD ["nest", "start", "--watch"]

FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json .swcrc ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# --max-semi-space-size: a larger young generation halves GC time on large pages (docs/BENCHMARKS.md).
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    NODE_OPTIONS=--max-semi-space-size=64
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
# The image's unprivileged user; PostgreSQL (embedded mode) also refuses root.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# exec form: node is PID 1's child of tini-less docker; it receives SIGTERM directly and shuts down gracefully.
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/api/src/main.js"]
