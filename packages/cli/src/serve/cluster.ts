import cluster, { type Worker } from 'node:cluster';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveClusterMetrics, startServer } from '@catalog/server';
import { CommandFailed } from '../errors.js';
import { note, type Io } from '../io.js';

export interface ServeSettings {
  port?: number;
  host?: string;
  database?: string;
}

/** Header naming the process that answered, so a client (or a test) can see the load spread. */
export const WORKER_HEADER = 'X-Catalog-Worker';

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/**
 * Starts the REST server in this process. The server stops itself gracefully on SIGTERM/SIGINT.
 * Every response names this process in `X-Catalog-Worker`. In a cluster, /metrics answers with
 * the sum over every worker (the primary collects them).
 */
export async function runWorker(settings: ServeSettings): Promise<void> {
  const handle = await startServer({ ...settings, clusterMetrics: cluster.isWorker });
  handle.server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
    response.setHeader(WORKER_HEADER, String(process.pid));
  });
  // Tell the primary this worker is fully started (listening happens earlier, inside startServer).
  if (cluster.isWorker) process.send?.(READY);
}

const READY = { type: 'catalog:worker-ready' };

function isReady(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === READY.type;
}

/**
 * The cluster primary: forks `count` workers that all listen on the same port, replaces a worker
 * that dies after it started, and on SIGTERM/SIGINT asks every worker to stop and waits for them.
 *
 * @throws {CommandFailed} when a worker exits before it ever listened (bad port, bad config):
 * restarting it would only fail again.
 */
export async function runPrimary(io: Io, count: number): Promise<void> {
  let stopping = false;
  let failure: string | undefined;
  const ready = new Set<Worker>();
  let url = '';
  let announced = false;
  const done = new Promise<void>((resolve) => {
    cluster.on('listening', (_worker, address) => {
      url = `http://${address.address ?? 'localhost'}:${address.port}`;
    });
    cluster.on('message', (worker, message) => {
      if (!isReady(message)) return;
      ready.add(worker);
      if (ready.size === count && !announced) {
        announced = true;
        note(io, `catalog: ${count} workers listening on ${url} (primary ${process.pid})`);
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      const started = ready.delete(worker);
      if (!stopping && started) {
        note(io, `catalog: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting a new one`);
        cluster.fork();
        return;
      }
      if (!stopping) {
        failure = `a worker exited before listening (${signal ?? `code ${code}`}); stopping`;
        stopAll();
      }
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve();
    });
  });
  const stopAll = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  const onSignal = () => {
    if (!stopping) note(io, 'catalog: stopping the workers');
    stopAll();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  serveClusterMetrics();
  for (let i = 0; i < count; i++) cluster.fork();
  await done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  if (failure) throw new CommandFailed(failure);
}
