import type { Command } from 'commander';
import { withCatalog } from '../context.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { markServing } from '../lifecycle.js';

interface ServeFlags {
  port?: string;
  host?: string;
  workers?: string;
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535 (got ${JSON.stringify(value)})`);
  return port;
}

function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new UsageError(`--workers must be a whole number from 1 to 64 (got ${JSON.stringify(value)})`);
  return workers;
}

/** `catalog serve`: the REST API, in this process or in N cluster workers sharing the port. */
export function registerServe(program: Command, io: Io): void {
  program
    .command('serve')
    .description('start the REST API server (stops gracefully on SIGTERM/SIGINT)')
    .option('--port <port>', 'TCP port (default: $CATALOG_PORT, else 8000)')
    .option('--host <host>', 'interface to bind (default: $CATALOG_HOST, else 127.0.0.1)')
    .option('--workers <n>', 'server processes sharing the port (node:cluster; default 1)')
    .addHelpText(
      'after',
      `
With --workers N the first process applies the migrations, then starts N workers that share the
port; SIGTERM or SIGINT stops all of them gracefully (in-flight requests finish). A worker that
dies after starting is replaced. Every response carries X-Catalog-Worker (the worker's pid).

Examples:
  $ catalog serve
  $ catalog serve --port 8080 --host 0.0.0.0 --workers 4
  $ catalog --db postgres://postgres@127.0.0.1:5432/catalog serve --workers 2`,
    )
    .action(async (flags: ServeFlags, command: Command) => {
      const port = parsePort(flags.port);
      const workers = parseWorkers(flags.workers);
      const { db } = command.optsWithGlobals<{ db?: string }>();
      // Cluster workers run this same command line, so they arrive here with the same flags.
      const settings = {
        ...(port === undefined ? {} : { port }),
        ...(flags.host === undefined ? {} : { host: flags.host }),
        ...(db === undefined ? {} : { database: db }),
      };
      // Loaded on demand: only `serve` needs the HTTP stack.
      const { isClusterWorker, runPrimary, runWorker } = await import('../serve/cluster.js');
      markServing();
      if (isClusterWorker()) return runWorker(settings);
      if (workers === 1) return runWorker(settings);
      // Migrate once, here, so N workers do not race to apply the same migrations.
      await withCatalog(command, async () => {}, { create: true });
      await runPrimary(io, workers);
    });
}
