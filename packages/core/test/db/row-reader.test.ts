import test from 'ava';
import { resolveConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { QueryObservers } from '../../src/db/query-observers.js';
import { openRowReaders } from '../../src/db/row-reader.js';
import { testDatabases, TEST_OPTIONS } from '../../src/testing.js';

/*
 * The read connections of a SQLite file catalog (db/row-reader.ts): isolation, read-only,
 * statement cache — for both readers (`read`: better-sqlite3, `scan`: node-sqlite3).
 */

for (const db of testDatabases()) {
  const open = async (t: import('ava').ExecutionContext) => {
    const { url, drop } = await db.create();
    const config = resolveConfig({ ...TEST_OPTIONS, database: url });
    const orm = await openDatabase(config);
    const readers = await openRowReaders(config, orm, new QueryObservers(() => orm.em.getKnex()));
    t.teardown(async () => {
      await readers.close();
      await orm.close(true);
      await drop();
    });
    const connection = orm.em.getConnection();
    await connection.execute('create table reader_probe (x integer)');
    await connection.execute('insert into reader_probe (x) values (1)');
    return { orm, readers };
  };
  const xs = (rows: { x: number }[]) => rows.map((row) => Number(row.x)).sort();

  for (const kind of ['read', 'scan'] as const) {
    test(`${kind}: sees committed rows only, never a write transaction in progress [${db.name}]`, async (t) => {
      const { orm, readers } = await open(t);
      await orm.em.fork().transactional(async (em) => {
        await em
          .getConnection()
          .execute('insert into reader_probe (x) values (2)', [], 'run', em.getTransactionContext());
        // SQLite reads beside the transaction; PostgreSQL's pool hands the read another connection.
        t.deepEqual(xs(await readers[kind]<{ x: number }>('select x from reader_probe')), [1]);
      });
      t.deepEqual(xs(await readers[kind]<{ x: number }>('select x from reader_probe')), [1, 2]);
    });

    test(`${kind}: more distinct statements than the cache holds, long ones and failing ones all answer; close succeeds after [${db.name}]`, async (t) => {
      const { readers } = await open(t);
      const read = readers[kind];
      for (let i = 0; i < 300; i++)
        t.deepEqual(
          xs(await read<{ x: number }>(`select x + ${i} - ${i} as x from reader_probe where x = ?`, [1])),
          [1],
        );
      const long = `select x from reader_probe where x in (${Array.from({ length: 1000 }, (_, i) => i + 1).join(', ')})`;
      t.deepEqual(xs(await read<{ x: number }>(long)), [1]);
      await t.throwsAsync(read('select nope from reader_probe'));
      await t.throwsAsync(read('select nope from reader_probe'));
      t.deepEqual(xs(await read<{ x: number }>('select x from reader_probe')), [1]);
    });

    if (db.name === 'sqlite') {
      test(`${kind}: the SQLite read connections refuse to write [${db.name}]`, async (t) => {
        const { readers } = await open(t);
        await t.throwsAsync(readers[kind]('insert into reader_probe (x) values (3)'));
        await t.throwsAsync(readers[kind]('delete from reader_probe'));
        // query_only: even a statement that runs as a write is refused.
        const [{ query_only: queryOnly }] = await readers[kind]<{ query_only: number }>('pragma query_only');
        t.is(Number(queryOnly), 1);
        t.deepEqual(xs(await readers[kind]<{ x: number }>('select x from reader_probe')), [1]);
      });
    }
  }
}
