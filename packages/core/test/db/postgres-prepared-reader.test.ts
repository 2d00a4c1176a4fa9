import test from 'ava';
import { SYSTEM_ACTOR } from '../../src/actor.js';
import { resolveConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { positional, preparedPostgresReader, PREPARED_TEXTS_MAX } from '../../src/db/postgres-prepared-reader.js';
import { ormRowReader } from '../../src/db/row-reader.js';
import { createTestCatalog, testDatabases, TEST_OPTIONS } from '../../src/testing.js';

/*
 * PostgreSQL's bounded reads as prepared statements (db/postgres-prepared-reader.ts): the same
 * rows as the ORM's execute, prepared for real, and still answering when a table changes under a
 * prepared `select *` or when more texts arrive than it prepares.
 */

test('positional numbers each ? and keeps an escaped one literal', (t) => {
  t.is(positional('select ? as a, ? as b', 2), 'select $1 as a, $2 as b');
  t.is(positional(String.raw`select '\?' as q, ? as a`, 1), `select '?' as q, $1 as a`);
  t.is(positional('select 1', 0), 'select 1');
  t.throws(() => positional('select ? as a', 2), { instanceOf: TypeError, message: /expects 1 parameters, got 2/ });
});

const postgres = testDatabases().find((db) => db.name === 'postgres');

if (postgres) {
  const open = async (t: import('ava').ExecutionContext) => {
    const { url, drop } = await postgres.createMigrated();
    const orm = await openDatabase(resolveConfig({ ...TEST_OPTIONS, database: url }));
    t.teardown(async () => {
      await orm.close(true);
      await drop();
    });
    return { orm, url, prepared: preparedPostgresReader(() => orm.em.getKnex()), viaOrm: ormRowReader(orm) };
  };

  test('returns the rows the ORM execute returns: dates, nulls, numbers, unicode, deleted rows [postgres]', async (t) => {
    const catalog = await createTestCatalog(postgres);
    t.teardown(() => catalog.destroy());
    const admin = { actor: SYSTEM_ACTOR };
    const made = await catalog.products.createMany(
      [
        { name: 'Grüner Tee 🍵', category: 'Grocery', price: 3.99, rating: 4.5, sku: 'TEA-1' },
        { name: 'Kettle', category: 'Kitchen', price: 12, rating: null },
        { name: "O'Brien's \\ % _ mug", category: 'Kitchen', price: 0.01 },
      ],
      admin,
    );
    await catalog.products.delete(made[1]!.id, admin);
    const orm = await openDatabase(resolveConfig({ ...TEST_OPTIONS, database: catalog.url }));
    t.teardown(() => orm.close(true));
    const prepared = preparedPostgresReader(() => orm.em.getKnex());
    const statements: [string, unknown[]][] = [
      ['select * from products order by id', []],
      ['select * from products where created_at <= ? and price_cents > ? order by id limit ?', [new Date(), 0, 10]],
      ['select id, rating_tenths, deleted_at from products where sku is null or sku = ? order by id', ['TEA-1']],
      ['select live_count, rating_sum, rated_count from product_stats where id = ?', [1]],
    ];
    for (const [sql, params] of statements) {
      const expected = await ormRowReader(orm)(sql, params);
      t.true(expected.length > 0, sql);
      // Twice: the first run prepares, the second runs the prepared statement.
      t.deepEqual(await prepared(sql, params), expected, sql);
      t.deepEqual(await prepared(sql, params), expected, sql);
    }
  });

  test('the statement is prepared on the connection that runs it [postgres]', async (t) => {
    const { prepared } = await open(t);
    const sql = 'select name, statement from pg_prepared_statements where statement like ?';
    const rows = await prepared<{ name: string; statement: string }>(sql, ['%pg_prepared_statements%']);
    t.true(
      rows.some((row) => row.name.startsWith('catalog_') && row.statement.includes('like $1')),
      JSON.stringify(rows),
    );
  });

  test('a prepared select * still answers after its table gains a column [postgres]', async (t) => {
    const { prepared, viaOrm } = await open(t);
    await viaOrm('create table prepared_probe (x integer)');
    await viaOrm('insert into prepared_probe (x) values (1)');
    // Enough runs for every connection of the pool to have prepared it.
    for (let i = 0; i < 12; i++) t.deepEqual(await prepared('select * from prepared_probe'), [{ x: 1 }]);
    await viaOrm('alter table prepared_probe add column y integer default 7');
    for (let i = 0; i < 12; i++) t.deepEqual(await prepared('select * from prepared_probe'), [{ x: 1, y: 7 }]);
  });

  test('more distinct texts than it prepares: every one answers [postgres]', async (t) => {
    const { prepared } = await open(t);
    for (let i = 0; i < PREPARED_TEXTS_MAX + 20; i++) {
      t.deepEqual(await prepared<{ n: number }>(`select ?::int + ${i} as n`, [1]), [{ n: 1 + i }]);
    }
  });

  test('an error of the statement reaches the caller, and the connection goes back to the pool [postgres]', async (t) => {
    const { prepared } = await open(t);
    for (let i = 0; i < 30; i++) {
      await t.throwsAsync(prepared('select nope from products'), { message: /nope/ });
    }
    t.deepEqual(await prepared<{ one: number }>('select 1 as one'), [{ one: 1 }]);
  });
}
