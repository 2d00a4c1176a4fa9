import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import getPort from 'get-port';
import { CATALOG_COMMAND, RESULTS, ROOT } from './paths.js';

export interface RunningProcess {
  url: string;
  /** The process id of the server (the cluster primary when it runs workers). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `command` as a child process serving HTTP on `port`, logging to bench/results/LOG, and
 * waits until GET `readyPath` answers 200 from `processes` distinct processes (the
 * `X-Catalog-Worker` header names them when the server runs cluster workers).
 */
export async function startProcess(
  command: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  options: { log: string; readyPath: string; processes?: number },
): Promise<RunningProcess> {
  const log = createWriteStream(join(RESULTS, options.log));
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const seen = new Set<string>();
  const deadline = Date.now() + 120_000;
  while (seen.size < (options.processes ?? 1)) {
    if (child.exitCode !== null)
      throw new Error(`${command.join(' ')} exited with ${child.exitCode} (see bench/results/${options.log})`);
    if (Date.now() > deadline) {
      await stop(child, exited);
      throw new Error(`${command.join(' ')} did not become ready (see bench/results/${options.log})`);
    }
    try {
      const response = await fetch(`${url}${options.readyPath}`, { headers: { connection: 'close' } });
      if (response.ok) seen.add(response.headers.get('x-catalog-worker') ?? 'single');
    } catch {
      // Not listening yet.
    }
    if (seen.size < (options.processes ?? 1)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, pid: child.pid!, stop: () => stop(child, exited) };
}

async function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
}

/** `catalog serve` on a free loopback port, with `workers` cluster workers, logging to bench/results/LOG.log. */
export async function startCatalogServer(
  env: NodeJS.ProcessEnv,
  workers = 1,
  log = `server-${workers}w`,
): Promise<RunningProcess> {
  const port = await getPort({ host: '127.0.0.1' });
  const command = [
    ...CATALOG_COMMAND,
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    ...(workers > 1 ? ['--workers', String(workers)] : []),
  ];
  return startProcess(command, env, port, { log: `${log}.log`, readyPath: '/healthz', processes: workers });
}
