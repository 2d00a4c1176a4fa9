import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import test from 'ava';
import { TEST_OPTIONS } from '@catalog/core/testing';
import { PASSWORD, email, testDatabases } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** How long the npm process and the server get to stop after SIGTERM before the test fails. */
const STOP_WITHIN_MS = 20_000;

/**
 * `promise`, or a failure naming `what` after `ms`: a server that ignores the signal fails the
 * test instead of hanging it.
 */
function within<T>(promise: Promise<T>, what: string, ms = STOP_WITHIN_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const sqlite = testDatabases().find((db) => db.name === 'sqlite')!;

test('kill -TERM of the npm process of `npm start` stops the server gracefully: in-flight request answered, port closed [sqlite]', async (t) => {
  const database = await sqlite.create();
  t.teardown(() => database.drop());
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CATALOG_')) env[key] = value;
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...env,
      CATALOG_DATABASE_URL: database.url,
      CATALOG_SECRET: TEST_OPTIONS.secret,
      CATALOG_BCRYPT_COST: '4',
      CATALOG_PORT: '0',
      CATALOG_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(npm, 'exit');
  const lines: Record<string, unknown>[] = [];
  const waiters: [(line: Record<string, unknown>) => boolean, (line: Record<string, unknown>) => void][] = [];
  createInterface({ input: npm.stdout }).on('line', (text) => {
    if (!text.startsWith('{')) return; // npm's own "> catalog start" banner
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const [match, resolve] of waiters) if (match(line)) resolve(line);
  });
  const lineWhere = (match: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const seen = lines.find(match);
      if (seen) resolve(seen);
      else waiters.push([match, resolve]);
    });
  try {
    const url = String((await lineWhere((line) => typeof line.docs === 'string')).url);
    t.is((await fetch(`${url}/readyz`)).status, 200);

    // A registration whose body is half sent stays in flight until the test sends the rest.
    const body = JSON.stringify({ email: email('npm-start'), password: PASSWORD });
    const half = Math.floor(body.length / 2);
    const req = request(`${url}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const response = once(req, 'response') as Promise<[IncomingMessage]>;
    req.write(body.slice(0, half));
    // Connections are read in order: once a later probe is answered, the half request is in flight.
    await fetch(`${url}/healthz`);

    npm.kill('SIGTERM');
    await within(
      lineWhere((line) => String(line.msg).startsWith('shutting down')),
      'the server did not start shutting down',
    );
    req.end(body.slice(half));
    const [answer] = await response;
    t.is(answer.statusCode, 201);
    answer.resume();

    const timer = setTimeout(
      () => t.fail(`npm start still running ${STOP_WITHIN_MS} ms after SIGTERM`),
      STOP_WITHIN_MS,
    );
    await exited;
    clearTimeout(timer);
    await lineWhere((line) => line.msg === 'stopped');
    await t.throwsAsync(fetch(`${url}/healthz`), undefined, 'the port is closed');
  } finally {
    npm.kill('SIGKILL');
  }
});
