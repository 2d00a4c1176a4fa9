import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import Database from 'better-sqlite3';
import { isDatabaseUnavailable } from '../../src/db/failures.js';
import { SqliteScanPool } from '../../src/db/sqlite-scan-pool.js';

/*
 * The pool of worker threads that runs the statements that may scan (db/sqlite-scan-pool.ts): its
 * own threads, errors with their SQLite codes, closing, and a process that exits on its own.
 */

const SLOW =
  'with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000000) select count(*) as c from n';

async function database(t: import('ava').ExecutionContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-scan-pool-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'catalog.db');
  const db = new Database(path);
  db.pragma('journal_mode = wal');
  db.exec('create table probe (x integer); insert into probe (x) values (1), (2)');
  db.close();
  return path;
}

test('answers statements with their rows, more at once than it has threads', async (t) => {
  const pool = new SqliteScanPool(await database(t), 2);
  t.teardown(() => pool.close());
  const answers = await Promise.all(
    Array.from({ length: 7 }, (_, i) => pool.all<{ y: number }>('select x + ? as y from probe order by x', [i])),
  );
  t.deepEqual(
    answers,
    Array.from({ length: 7 }, (_, i) => [{ y: 1 + i }, { y: 2 + i }]),
  );
});

test('a long statement runs off the main thread: the event loop turns while it runs', async (t) => {
  const pool = new SqliteScanPool(await database(t), 2);
  t.teardown(() => pool.close());
  await pool.all('select 1', []); // the thread has started
  let turns = 0;
  let done = false;
  const turn = () => {
    turns++;
    if (!done) setImmediate(turn);
  };
  setImmediate(turn);
  const [row] = await pool.all<{ c: number }>(SLOW, []);
  done = true;
  t.is(row!.c, 3000000);
  t.true(turns > 1);
});

test('errors are Errors with the SQLite code that db/failures.ts reads; the thread serves on', async (t) => {
  const pool = new SqliteScanPool(await database(t), 1);
  t.teardown(() => pool.close());
  const bad = await t.throwsAsync(pool.all('select nope from probe', []));
  t.is((bad as Error & { code?: unknown }).code, 'SQLITE_ERROR');
  t.regex(bad!.message, /no such column: nope/);
  // query_only: the connection refuses a write, as the other read connections do.
  const write = await t.throwsAsync(pool.all('insert into probe (x) values (3) returning x', []));
  t.is((write as Error & { code?: unknown }).code, 'SQLITE_READONLY');
  t.deepEqual(await pool.all('select count(*) as n from probe', []), [{ n: 2 }]);
});

test('a file that cannot be opened fails each statement as "database unavailable"', async (t) => {
  const pool = new SqliteScanPool(join(tmpdir(), `catalog-scan-pool-missing-${process.pid}.db`), 1);
  t.teardown(() => pool.close());
  const error = await t.throwsAsync(pool.all('select 1', []));
  t.is((error as Error & { code?: unknown }).code, 'SQLITE_CANTOPEN');
  t.true(isDatabaseUnavailable(error));
  await t.throwsAsync(pool.all('select 1', []));
});

test('close lets the running statement answer, fails the queued ones and later ones', async (t) => {
  const pool = new SqliteScanPool(await database(t), 1);
  const running = pool.all<{ c: number }>(SLOW, []);
  const queued = pool.all('select 1', []);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const closed = pool.close();
  await t.throwsAsync(queued, { message: /closed/ });
  t.deepEqual(await running, [{ c: 3000000 }]);
  await closed;
  await t.throwsAsync(pool.all('select 1', []), { message: /closed/ });
  await pool.close();
});

test('idle threads do not keep a process alive, even when the pool is never closed', async (t) => {
  const path = await database(t);
  const pool = new URL('../../src/db/sqlite-scan-pool.ts', import.meta.url).href;
  const script = `
    const { SqliteScanPool } = await import(${JSON.stringify(pool)});
    const pool = new SqliteScanPool(${JSON.stringify(path)}, 2);
    const rows = await Promise.all([pool.all('select count(*) as n from probe', []), pool.all('select 2 as n', [])]);
    console.log(JSON.stringify(rows));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import=tsx', '--conditions=source', '--input-type=module', '-e', script],
    { timeout: 60_000 },
  );
  t.is(stdout.trim(), JSON.stringify([[{ n: 2 }], [{ n: 2 }]]));
});
