import test, { type ExecutionContext } from 'ava';
import { resolveConfig, SYSTEM_ACTOR } from '../../src/index.js';
import { openDatabase } from '../../src/db/open.js';
import { ormRowReader, type RowReader } from '../../src/db/row-reader.js';
import { rarestTrigrams, termTrigrams, trigramDocCounts } from '../../src/products/product-search-trigrams.js';
import { planSearch, SEARCH_CANDIDATE_LIMIT, searchCandidates } from '../../src/products/product-search.js';
import { fold } from '../../src/db/product-table.js';
import { createTestCatalog, testDatabases, TEST_OPTIONS } from '../../src/testing.js';
import { forEachTestCatalog } from '../support/catalog-per-database.js';

const admin = { actor: SYSTEM_ACTOR };

test('trigrams are cut by code point and know the word they lie in', (t) => {
  t.deepEqual(
    termTrigrams('ab c😀d').map((g) => [g.text, g.at, g.word]),
    [
      ['ab ', 0, undefined],
      ['b c', 1, undefined],
      [' c😀', 2, undefined],
      ['c😀d', 3, 1],
    ],
  );
  t.deepEqual(termTrigrams('ab'), []);
});

test('the queried trigrams are rare, disjoint and one per word', (t) => {
  const docs = new Map(
    Object.entries({
      nor: 50,
      ord: 50,
      rdi: 50,
      dic: 50,
      'ic ': 900,
      'c s': 60,
      ' sa': 500,
      sag: 100,
      age: 140,
      'ge ': 140,
    }),
  );
  // "dic" is as rare as "nor" but says the same ("nordic"); "sag" overlaps "c s", so "age" stands for "sage".
  t.deepEqual(rarestTrigrams(termTrigrams('nordic sage'), docs, 4, 10), ['nor', 'c s', 'age']);
  t.deepEqual(rarestTrigrams(termTrigrams('nordic sage'), docs, 2, 10), ['nor', 'c s']);
  // A trigram in few enough rows is queried alone.
  t.deepEqual(rarestTrigrams(termTrigrams('nordic sage'), docs, 4, 50), ['nor']);
  // Unknown trigrams count as absent: the rarest of all.
  t.deepEqual(rarestTrigrams(termTrigrams('nordic zz'), docs, 4, 10), ['c z']);
});

/** Names around "rustic oak teapot": the match, and near misses holding most of its trigrams. */
const NAMES = [
  'Rustic Oak Teapot',
  'rustic oak teapot XL',
  'Rustic Oak Trowel',
  'Classic Oak Teapot',
  'Black Teapot Rustic',
  'Teapot Oak Rustic',
  'Rustic  Oak Teapot',
  'Earl Grey 100% pure',
  'earl grey_decaf',
  '100x pure',
  'Say "hello" teapot',
  'back\\slash tea',
  'ÉCLAIR tea',
  'Straße Kettle',
  'Emoji 😀😀 mug',
  'Oak',
];

forEachTestCatalog((db, catalog) => {
  const d = `[${db.name}]`;

  test.serial(`search finds exactly the names containing the term, whatever its characters ${d}`, async (t) => {
    // Searched once before the rows exist: remembered trigram counts of zero must not hide them.
    t.deepEqual((await catalog().products.list({ search: 'rustic oak teapot' })).data, []);
    await catalog().products.createMany(
      NAMES.map((name, i) => ({ name, category: 'Search', price: i })),
      admin,
    );
    const terms = [
      'rustic oak teapot',
      'RUSTIC OAK TEAPOT',
      'oak teapot',
      'c oak t',
      'teapot rustic',
      'k t',
      'oak',
      'oa',
      'o',
      'ak t',
      ' oak ',
      '100%',
      '0% p',
      '_',
      'y_d',
      '"hello"',
      '"',
      'k\\s',
      '\\',
      'éclair',
      'straße',
      '😀😀',
      'ji 😀',
      'zzz',
      'rustic  oak',
    ];
    for (const term of terms) {
      const found = [];
      let cursor: string | undefined;
      do {
        const page = await catalog().products.list({
          search: term,
          sort_by: 'price',
          sort_order: 'asc',
          limit: 3,
          ...(cursor ? { cursor } : {}),
        });
        found.push(...page.data.map((p) => p.name));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      // The API trims the term, then matches case-insensitively.
      t.deepEqual(
        found,
        NAMES.filter((name) => fold(name).includes(fold(term.trim()))),
        term,
      );
    }
  });
});

for (const db of testDatabases().filter((x) => x.name === 'sqlite')) {
  test(`candidates hold every match; a superset past the limit falls back to the exact phrase [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const orm = await openDatabase(resolveConfig({ ...TEST_OPTIONS, database: catalog.url }));
    t.teardown(() => orm.close());
    const read = ormRowReader(orm);
    // Every near miss holds all three trigrams of "abcab" (abc, bca, cab), but not the term.
    const nearMisses = Array.from({ length: SEARCH_CANDIDATE_LIMIT + 10 }, (_, i) => ({
      name: `abca cab ${i}`,
      category: 'x',
      price: 1,
    }));
    await catalog.products.createMany([...nearMisses, { name: 'xabcabx', category: 'x', price: 2 }], admin);
    const rowids = async (term: string) =>
      (
        await orm.em
          .getConnection()
          .execute<{ rowid: number }[]>('select rowid from products where name_folded like ?', [`%${term}%`])
      ).map((r) => Number(r.rowid));

    const listing = { database: 'sqlite', sortBy: 'created_at', wanted: 21, filtered: false } as const;
    const candidates = (term: string) => candidatesOf(read, term);
    const exact = await candidates('abcab');
    t.deepEqual(exact, await rowids('abcab'));
    // More real matches than the limit: no list, the page query walks the sort index instead.
    t.is(await candidates('abca'), undefined);
    t.deepEqual(await planSearch(read, 'abca', listing), { kind: 'scan' });
    t.deepEqual(await planSearch(read, 'ab', listing), { kind: 'scan' });
    const few = await candidates('cab 12');
    t.truthy(few);
    for (const rowid of await rowids('cab 12')) t.true(few!.includes(rowid));
    t.deepEqual(
      (await catalog.products.list({ search: 'ABCAB' })).data.map((p) => p.name),
      ['xabcabx'],
    );
  });
}

/** searchCandidates of `term`, with the trigram counts it takes read first. */
async function candidatesOf(read: RowReader, term: string): Promise<number[] | undefined> {
  const docs = await trigramDocCounts(
    read,
    termTrigrams(term).map((g) => g.text),
  );
  return searchCandidates(read, term, docs);
}

/**
 * On a second connection to the catalog's database: the candidates searchCandidates gives for
 * `term`, the rowids of the products whose name holds it (in rowid order), and raw statements.
 */
async function termProbe(t: ExecutionContext, database: string, term: string) {
  const orm = await openDatabase(resolveConfig({ ...TEST_OPTIONS, database }));
  t.teardown(() => orm.close());
  const read = ormRowReader(orm);
  const sql = (text: string, params: unknown[] = []) =>
    orm.em.getConnection().execute<{ rowid: number }[]>(text, params);
  return {
    sql,
    candidates: () => candidatesOf(read, term),
    holding: async () =>
      (await sql('select rowid from products where name_folded like ? order by rowid', [`%${term}%`])).map((r) =>
        Number(r.rowid),
      ),
  };
}

for (const db of testDatabases().filter((x) => x.name === 'sqlite')) {
  test(`remembered candidates follow every write that reaches the trigram index [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const { candidates, holding } = await termProbe(t, catalog.url, 'rare zebra kettle');
    const term = 'rare zebra kettle';
    const filler = Array.from({ length: 300 }, (_, i) => ({ name: `zebra ${i} kettle`, category: 'z', price: i }));
    const [first] = await catalog.products.createMany(
      [{ name: 'A Rare Zebra Kettle', category: 'z', price: 1 }, ...filler],
      admin,
    );
    const sorted = async () => [...(await candidates())!].sort((a, b) => a - b);
    // Asked twice with no write between: the same answer (the second one remembered).
    t.deepEqual(await sorted(), await holding());
    t.deepEqual(await sorted(), await holding());
    // One product created, one renamed into the term, one renamed out of it, one bulk insert.
    const second = await catalog.products.create({ name: 'another rare zebra kettle', category: 'z', price: 2 }, admin);
    t.deepEqual(await sorted(), await holding());
    const renamed = await catalog.products.create({ name: 'plain kettle', category: 'z', price: 3 }, admin);
    t.deepEqual(await sorted(), await holding());
    await catalog.products.patch(renamed.id, { name: 'third rare zebra kettle' }, admin);
    t.deepEqual(await sorted(), await holding());
    await catalog.products.patch(first!.id, { name: 'no longer' }, admin);
    t.deepEqual(await sorted(), await holding());
    await catalog.products.createMany([{ name: 'bulk rare zebra kettle', category: 'z', price: 4 }], admin);
    t.deepEqual(await sorted(), await holding());
    t.is((await holding()).length, 3);
    t.deepEqual((await catalog.products.list({ search: term })).data.map((p) => p.id).includes(second.id), true);
  });
}

for (const db of testDatabases().filter((x) => x.name === 'sqlite')) {
  test(`remembered candidates are not reused after rowids were renumbered and the index rebuilt [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const { candidates, holding, sql } = await termProbe(t, catalog.url, 'rare zebra kettle');
    await catalog.products.createMany(
      [
        { name: 'plain filler', category: 'z', price: 1 },
        { name: 'A rare zebra kettle', category: 'z', price: 2 },
      ],
      admin,
    );
    // A gap before the match, then the index rebuilt: its records now say "one row, one write".
    await sql(`delete from products where name = 'plain filler'`);
    await sql(`insert into products_search (products_search) values ('rebuild')`);
    const before = await holding();
    t.deepEqual(await candidates(), before);
    // The gap closed as a VACUUM may close it (the match gets a new rowid), unseen by the index's
    // triggers; rebuilt, the index has the same records as before.
    await sql('update products set rowid = rowid - 1');
    await sql(`insert into products_search (products_search) values ('rebuild')`);
    const after = await holding();
    t.notDeepEqual(after, before);
    t.deepEqual(await candidates(), after);
  });
}
