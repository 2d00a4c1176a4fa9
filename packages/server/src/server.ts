import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalog } from '@catalog/core';
import type Koa from 'koa';
import { buildApp } from './app.js';
import { resolveServerConfig, type ServerConfig, type ServerSettings } from './config.js';
import { RequestTiming } from './http/server-timing.js';
import { createLogger, silentLogger, type Logger } from './logger.js';
import { ServerMetrics } from './metrics/metrics.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi/document.js';
import { AuthRateLimiter } from './rate-limit/limits.js';
import { MemoryRateLimitStore } from './rate-limit/memory-store.js';
import type { RateLimitStore } from './rate-limit/store.js';
import { InFlight } from './in-flight.js';
import { closeGracefully } from './shutdown.js';
import type { AppState } from './state.js';

/** Options of `createServer()`: the settings (else environment) plus what cannot come from it. */
export interface ServerOptions extends ServerSettings {
  /** A pino logger to use, or `false` for none (tests). Default: a new one at `logLevel`. */
  logger?: Logger | false;
  /**
   * Where rate-limit counters live (default: per `rateLimitStorage`, the catalog's database table or
   * this process's memory).
   */
  rateLimitStore?: RateLimitStore;
  /** Environment to read settings from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /**
   * This process is a `node:cluster` worker whose primary runs `serveClusterMetrics()`: /metrics
   * answers with the sum over every worker (default false: this process's own metrics).
   */
  clusterMetrics?: boolean;
}

/** A server that is listening. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  url: string;
  server: Server;
  /**
   * Stops accepting, lets in-flight requests finish — handlers too, even of clients that hung up
   * (up to `shutdownTimeout`) — then resolves.
   */
  close(): Promise<void>;
}

/** The REST API over one catalog, ready to be listened on or mounted. */
export interface CatalogServer {
  /** The Koa app (mount it, or add middleware before listening). */
  app: Koa<AppState>;
  /** The validated settings. */
  config: ServerConfig;
  /** The OpenAPI document served at /openapi.json. */
  openapi: OpenApiDocument;
  logger: Logger;
  /** The Prometheus metrics served at /metrics; undefined when metrics are turned off. */
  metrics: ServerMetrics | undefined;
  /** A `(req, res)` handler for `http.createServer` or another framework. */
  callback(): ReturnType<Koa['callback']>;
  /** Listens on `port`/`host` (default: the settings). Port 0 picks a free port. */
  listen(port?: number, host?: string): Promise<RunningServer>;
}

/**
 * Creates the REST server for a catalog. The catalog stays the caller's: closing the server does
 * not close it.
 *
 * @example
 * const catalog = await createCatalog({ database: 'sqlite:data/catalog.db' });
 * const { url, close } = await createServer(catalog, { publicRead: true }).listen(8000);
 * @throws {ConfigError} when a setting or its environment variable is invalid (every bad value listed).
 */
export function createServer(catalog: Catalog, options: ServerOptions = {}): CatalogServer {
  const { logger: givenLogger, rateLimitStore, env, clusterMetrics = false, ...settings } = options;
  const config = resolveServerConfig(settings, env);
  const logger = givenLogger === false ? silentLogger() : (givenLogger ?? createLogger(config.logLevel));
  const limiter = new AuthRateLimiter(
    rateLimitStore ?? (config.rateLimitStorage === 'memory' ? new MemoryRateLimitStore() : catalog.rateLimits),
    { max: config.authPerIpLimit, windowSeconds: config.authPerIpWindow },
    { max: config.loginFailureLimit, windowSeconds: config.loginFailureWindow },
  );
  const openapi = buildOpenApiDocument({ publicRead: config.publicRead, metrics: config.metrics });
  let shuttingDown = false;
  const shutdown = new AbortController();
  const inFlight = new InFlight();
  const metrics = config.metrics ? new ServerMetrics({ clusterWorker: clusterMetrics }) : undefined;
  const timing = metrics ? new RequestTiming(metrics) : undefined;
  // For as long as the catalog is open: a server that closes and listens again keeps its timings.
  if (timing) catalog.observeQueries(timing.onQuery);
  const app = buildApp({
    catalog,
    config,
    logger,
    limiter,
    document: openapi,
    isShuttingDown: () => shuttingDown,
    closing: shutdown.signal,
    inFlight,
    metrics,
    timing,
  });

  return {
    app,
    config,
    openapi,
    logger,
    metrics,
    callback: () => app.callback(),
    async listen(port = config.port, host = config.host) {
      const server = createHttpServer(app.callback());
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      let closing: Promise<void> | undefined;
      return {
        url: urlOf(server.address() as AddressInfo),
        server,
        close() {
          shuttingDown = true;
          // Event streams never finish by themselves: end them, so their connections can close.
          shutdown.abort();
          const timeoutMs = config.shutdownTimeout * 1000;
          // Connections first, then the handlers of clients that hung up: only then may the caller close the database.
          closing ??= closeGracefully(server, timeoutMs).then(() => inFlight.drained(timeoutMs));
          return closing;
        },
      };
    },
  };
}

function urlOf({ address, port }: AddressInfo): string {
  if (address === '0.0.0.0' || address === '::') return `http://localhost:${port}`;
  return address.includes(':') ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}
