# syntax=docker/dockerfile:1
# Latchkey API image: compiled in a build stage, run from a slim stage as the unprivileged
# `node` user. test/dockerfile_replay.test.ts replays this file stage by stage and starts the
# result, so keep to what it replays (see test/support/dockerfile-replay.ts).

# --- build: every dependency, the Prisma client, the TypeScript compiled to dist/ ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
# postinstall generates the Prisma client from prisma/schema.prisma; it installs the example
# app only where examples/spa exists, which .dockerignore keeps out of the image.
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY scripts ./scripts
# The admin console (served at /admin): @latchkey/client compiled from its sources, the console's
# own dependencies, then `npm run build` compiles the server and bundles the console into
# console/dist. Both folders go before pruning, which would otherwise link the client package.
COPY packages/client ./packages/client
COPY console ./console
RUN npm run build:client && npm --prefix console ci --no-audit --no-fund
RUN npm run build && rm -rf packages console/node_modules && npm prune --omit=dev --no-audit --no-fund
# The Prisma CLI is a development tool here (migrations run through the schema engine), but
# @prisma/client names it as an optional peer, so pruning keeps it; take it out by name.
RUN npm uninstall prisma --no-save --omit=dev --ignore-scripts --no-audit --no-fund

# --- run: production dependencies, compiled code, the console's bundle, migrations (applied at start) ---
# Operator commands: node dist/scripts/migrate.js, admin.js, rotate-keys.js.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
COPY --from=build /app/prisma ./prisma
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# Avatars (and the embedded database, when DATABASE_URL is unset).
VOLUME ["/app/data"]
EXPOSE 4000
# Ready means the database answers (GET /readyz), not only that the process runs.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1 gets SIGTERM from `docker stop` and shuts down cleanly (src/main.ts).
CMD ["node", "dist/src/main.js"]
