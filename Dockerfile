# Catalog: the REST server, with the `catalog` CLI on PATH.
#   docker build -t catalog .
#   docker run -d --name catalog -p 8000:8000 -v catalog-data:/app/data catalog
# Configuration is by environment; /app/data is the volume for the SQLite database and the
# generated secret (docs/deployment.md, "Docker"). `npm run test:docker` builds and checks it.
#
# The image runs four packages: contract, core, server and cli. .dockerignore keeps the others
# (client, examples, bench, soak) and all tests out of the context, and npm installs only the
# workspaces whose package.json is present.

# ---- build: the packages compiled, gathered in /out with their package.json ------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages packages
# Compiling (tsup) loads no native module, so the SQLite drivers' install scripts are skipped here.
# Type declarations and source maps are for developers, not for the running server.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm run build --workspaces --if-present \
 && for dir in packages/*/; do \
      mkdir -p "/out/$dir" && cp -r "$dir/package.json" "$dir/dist" "/out/$dir"; \
    done \
 && cp -r packages/cli/bin /out/packages/cli/ \
 && cp package.json package-lock.json /out/ \
 && find /out -path '*/dist/*' \( -name '*.d.ts' -o -name '*.map' \) -delete

# ---- app: /app as the image runs it: production dependencies and the compiled packages -------
FROM node:20-bookworm-slim AS app
WORKDIR /app
# sqlite3 and better-sqlite3 download a prebuilt binary when one matches and compile otherwise.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /app/
# --omit=optional drops node-gyp and its tree, which sqlite3 lists for building only (npm brings
# its own). Of the native modules only the compiled *.node files are needed afterwards.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund \
 && for module in node_modules/sqlite3 node_modules/better-sqlite3; do \
      rm -rf "$module/deps" "$module/src"; \
      find "$module/build" -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} +; \
      find "$module/build/Release" -mindepth 1 -maxdepth 1 ! -name '*.node' -exec rm -rf {} +; \
    done \
 && rm -f node_modules/better-sqlite3/build/Release/test_extension.node \
 && npm cache clean --force \
 && mkdir bin data \
 && ln -s ../packages/cli/bin/catalog.js bin/catalog \
 && chown node:node data

# ---- runtime: the base image, /app, a non-root user ------------------------------------------
FROM node:20-bookworm-slim AS runtime
# The settings come before the files: they stay cached when only /app changes (with the vfs
# storage driver every instruction copies the whole file system, metadata ones included).
WORKDIR /app
ENV PATH=/app/bin:$PATH \
    NODE_ENV=production \
    CATALOG_HOST=0.0.0.0 \
    CATALOG_PORT=8000 \
    CATALOG_DATA_DIR=/app/data \
    CATALOG_DATABASE_URL=sqlite:/app/data/catalog.db
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.CATALOG_PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: finishes in-flight requests, closes the database, exits 0.
CMD ["node", "packages/server/dist/main.js"]
USER node
# Owned by root but /app/data (node's): the server cannot change its own code.
COPY --from=app /app /app
VOLUME ["/app/data"]
