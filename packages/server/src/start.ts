import { createCatalog, SYSTEM_ACTOR, type Catalog, type CatalogOptions } from '@catalog/core';
import { createServer, type CatalogServer, type RunningServer, type ServerOptions } from './server.js';

/** Options of `startServer()`: server settings and catalog options, each else from the environment. */
export interface StartServerOptions extends ServerOptions, CatalogOptions {
  /** Handle SIGTERM/SIGINT: close gracefully, then exit 0 (default true). Cluster workers may turn it off. */
  handleSignals?: boolean;
}

/** A started standalone server. */
export interface StartedServer extends RunningServer {
  catalog: Catalog;
  /** Closes the HTTP server gracefully, then the catalog. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Starts the standalone server (`npm start`, `catalog serve`): opens the catalog from options and
 * environment (migrations applied), listens, logs the URLs of the API and of /docs, and on an
 * empty database says how to create an admin and seed demo data. SIGTERM/SIGINT stop accepting,
 * finish in-flight requests, close the database and exit 0.
 *
 * @example
 * const { url, close } = await startServer({ port: 8000, host: '127.0.0.1' });
 * @throws {ConfigError} when a setting is invalid; whatever opening the database throws.
 */
export async function startServer(options: StartServerOptions = {}): Promise<StartedServer> {
  const { handleSignals = true, ...rest } = options;
  const catalog = await createCatalog(rest);
  let server: CatalogServer;
  let running: RunningServer;
  try {
    server = createServer(catalog, rest);
    running = await server.listen();
  } catch (error) {
    // A bad server setting or a taken port: do not leave the database open behind the error.
    await catalog.close();
    throw error;
  }
  const { logger } = server;
  logger.info(
    { url: running.url, docs: `${running.url}/docs`, database: catalog.config.database.kind },
    `Catalog API listening on ${running.url} (docs: ${running.url}/docs)`,
  );
  try {
    await hintWhenEmpty(catalog, (message) => logger.info(message));
  } catch (error) {
    // Only a hint: the server is up, and /readyz reports the database's state.
    logger.warn({ err: error }, 'could not check whether the database has users');
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await running.close();
      } finally {
        await catalog.close();
      }
    })();
    return closing;
  };

  if (handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      close().then(
        () => {
          logger.info('stopped');
          logger.flush();
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { ...running, catalog, close };
}

async function hintWhenEmpty(catalog: Catalog, log: (message: string) => void): Promise<void> {
  const users = await catalog.users.list({ limit: 1 }, { actor: SYSTEM_ACTOR });
  if (users.data.length > 0) return;
  log('The database has no users yet. Create an admin: npx catalog users create --email you@example.com --role admin');
  log('Add demo products: npx catalog seed --count 1000');
}
