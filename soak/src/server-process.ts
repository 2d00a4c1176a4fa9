import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import getPort from 'get-port';
import { ROOT } from './paths.js';

/** The standalone server (packages/server/src/main.ts) in its own process. */
export interface SoakServer {
  url: string;
  child: ChildProcess;
  /** Resident set size of the server process, in MiB (from /proc). */
  rssMiB(): Promise<number>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the server on `database` with the given environment and waits until /readyz answers.
 * Logs at warn: one info line per request would cost the server more than the requests.
 */
export async function startServer(database: string, env: Record<string, string>): Promise<SoakServer> {
  const port = await getPort({ host: '127.0.0.1' });
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'packages/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      CATALOG_DATABASE_URL: database,
      CATALOG_PORT: String(port),
      CATALOG_HOST: '127.0.0.1',
      CATALOG_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} while starting`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (i > 600) throw new Error('the server did not become ready in 60 s');
    await sleep(100);
  }
  return {
    url,
    child,
    async rssMiB() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return kib / 1024;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
