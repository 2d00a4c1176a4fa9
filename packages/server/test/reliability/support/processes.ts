import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TokenResponse } from '@catalog/contract';
import { createCatalog, SYSTEM_ACTOR, type Catalog } from '@catalog/core';
import { TEST_OPTIONS, type TestDatabase } from '@catalog/core/testing';
import { bundledMain } from '../../../../../test-support/bundle.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PASSWORD = 'correct horse battery';

/** A standalone server (`src/main.ts`) in its own process. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Log lines seen so far (JSON). */
  lines: Record<string, unknown>[];
  /** Resolves with the first log line (past or future) that `match` accepts. */
  lineWhere(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** SIGKILL unless it has exited; waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` on `databaseUrl` (port 0, test secret, bcrypt cost 4) and resolves once it
 * logs its URL (an info line: keep the log level at info). `env` adds or overrides settings. The
 * process runs the suite's shared bundle of src/main.ts (test-support/bundle.ts), which starts
 * several times faster than tsx; npm-start.test.ts tests `npm start` itself.
 */
export async function spawnServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [await bundledMain(packageDir)], {
    cwd: packageDir,
    env: {
      ...process.env,
      CATALOG_DATABASE_URL: databaseUrl,
      CATALOG_SECRET: TEST_OPTIONS.secret,
      CATALOG_BCRYPT_COST: '4',
      CATALOG_PORT: '0',
      CATALOG_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines: Record<string, unknown>[] = [];
  const waiters: { match(line: Record<string, unknown>): boolean; resolve(line: Record<string, unknown>): void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.match(line))) waiter.resolve(line);
  });
  const lineWhere = (match: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const seen = lines.find(match);
      if (seen) resolve(seen);
      else waiters.push({ match, resolve });
    });
  const started = lineWhere((line) => typeof line.url === 'string' && typeof line.docs === 'string');
  const failed = exited.then((code) => {
    throw new Error(`server exited with ${code} before listening`);
  });
  const url = String((await Promise.race([started, failed])).url);
  failed.catch(() => {});
  return {
    url,
    child,
    exited,
    lines,
    lineWhere,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A fresh database with an admin and a user, and their tokens (valid in every process: same secret). */
export interface PreparedDatabase {
  url: string;
  admin: TokenResponse & { email: string };
  user: TokenResponse & { email: string };
  drop(): Promise<void>;
}

export async function prepareDatabase(db: TestDatabase): Promise<PreparedDatabase> {
  const { url, drop } = await db.create();
  const catalog = await createCatalog({ ...TEST_OPTIONS, database: url });
  try {
    const signIn = async (role: 'admin' | 'user') => {
      const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
      await catalog.users.create({ email, password: PASSWORD, role }, { actor: SYSTEM_ACTOR });
      return { ...(await catalog.auth.login({ email, password: PASSWORD })), email };
    };
    return { url, admin: await signIn('admin'), user: await signIn('user'), drop };
  } finally {
    await catalog.close();
  }
}

/** Opens the database again (as after a restart), runs `use`, closes it. */
export async function reopen<T>(url: string, use: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = await createCatalog({ ...TEST_OPTIONS, database: url });
  try {
    return await use(catalog);
  } finally {
    await catalog.close();
  }
}

/** `PRAGMA integrity_check` of a SQLite database URL, through the sqlite3 shell: `ok` when sound. */
export async function sqliteIntegrity(url: string): Promise<string> {
  const { stdout } = await promisify(execFile)('sqlite3', [url.replace(/^sqlite:/, ''), 'pragma integrity_check']);
  return stdout.trim();
}

/**
 * What must hold of a database after any crash: SQLite's integrity check passes, and the
 * dashboard totals (kept by triggers in the writes' transactions) equal a full count.
 */
export async function consistency(url: string): Promise<{ integrity: string; total: number; walked: number }> {
  const integrity = url.startsWith('sqlite:') ? await sqliteIntegrity(url) : 'ok';
  return reopen(url, async (catalog) => {
    let walked = 0;
    for await (const _ of catalog.products.iterate({}, { actor: SYSTEM_ACTOR })) walked++;
    return { integrity, total: (await catalog.dashboard.summary()).total_products, walked };
  });
}
