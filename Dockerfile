# syntax=docker/dockerfile:1
# Catalog REST server. Build:  docker build -t catalog .
# Run:    docker run -p 8000:8000 -v catalog-data:/app/data catalog
# Configuration is by environment (docs/deployment.md); data/ is a volume for SQLite and the
# generated secret. (Written by reading; no Docker engine was available to build it.)

# ---- build: every package compiled to dist/ --------------------------------------------------
FROM node:20-bookworm-slim AS build
# sqlite3 and better-sqlite3 (the SQLite drivers) compile from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Everything (see .dockerignore): npm ci needs every workspace's package.json anyway.
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build

# ---- prod-deps: production dependencies only, native modules compiled with the tools above ----
FROM build AS prod-deps
# Replaces node_modules (root and per-package) with production dependencies; dist/ stays.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: slim image, no compilers, non-root -----------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    CATALOG_HOST=0.0.0.0 \
    CATALOG_PORT=8000 \
    CATALOG_DATA_DIR=/app/data \
    CATALOG_DATABASE_URL=sqlite:/app/data/catalog.db
WORKDIR /app
COPY --from=prod-deps /app/package.json /app/package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
# Workspace packages (linked from node_modules/@catalog/*): package.json, dist/, own node_modules.
COPY --from=prod-deps /app/packages ./packages
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.CATALOG_PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: finishes in-flight requests, closes the database, exits 0.
CMD ["node", "packages/server/dist/main.js"]
