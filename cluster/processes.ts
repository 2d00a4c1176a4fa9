import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Host } from './network.js';

/** The repository root (cluster/ is one of its folders). */
export const ROOT = join(import.meta.dirname, '..');

/** A process of the harness, in its own process group (so that its children go with it). */
export interface Running {
  readonly child: ChildProcess;
  readonly log: string;
  /** Sends `signal` to the whole group; resolves when the process exited (at most 15 s). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

function started(child: ChildProcess, log: string): Running {
  const exited = once(child, 'exit').then(() => undefined);
  return {
    child,
    log,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // already gone
        }
      }
      await Promise.race([exited, sleep(15_000)]);
    },
  };
}

/** The last lines of a log, for a failure message. */
export function tail(log: string, lines = 30): string {
  try {
    return readFileSync(log, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * `catalog serve --workers 2` in the namespace of `host`, listening on its address, port 8000.
 * Logs go to a file of `dir`.
 */
export function startServerHost(host: Host, env: Record<string, string>, dir: string): Running {
  const log = join(dir, `${host.name}.log`);
  const out = openSync(log, 'a');
  const command = [
    process.execPath,
    '--conditions=source',
    '--import',
    'tsx',
    'packages/cli/src/main.ts',
    'serve',
  ].concat(['--host', host.address, '--port', '8000', '--workers', '2']);
  const child = spawn('ip', ['netns', 'exec', host.namespace, ...command], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  return started(child, log);
}

/** HAProxy in the foreground (`-db`) with `config`, written to `dir`. */
export function startHaproxy(config: string, dir: string): Running {
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const log = join(dir, 'haproxy.log');
  const out = openSync(log, 'a');
  const child = spawn('/usr/sbin/haproxy', ['-db', '-f', file], { stdio: ['ignore', out, out], detached: true });
  return started(child, log);
}

/** Resolves once `url` answers 200, or throws after `timeoutMs` (or when `process` exits). */
export async function waitReady(url: string, running: Running, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (running.child.exitCode !== null)
      throw new Error(`exited with ${running.child.exitCode}:\n${tail(running.log)}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs} ms:\n${tail(running.log)}`);
    await sleep(200);
  }
}
