import {
  ProductListQuerySchema,
  type Page,
  type Product,
  type ProductListQuery,
  type ProductSortBy,
  type SortOrder,
} from '@catalog/contract';
import test from 'ava';
import fc from 'fast-check';
import { resolveConfig, SYSTEM_ACTOR } from '../../src/index.js';
import type { ServiceContext } from '../../src/context.js';
import { createCursorCodec } from '../../src/cursor/index.js';
import { openDatabase } from '../../src/db/open.js';
import { RateLimitCounters } from '../../src/db/rate-limit-counters.js';
import { ormRowReader } from '../../src/db/row-reader.js';
import { listProducts } from '../../src/products/product-list.js';
import { shortTermMayMatch } from '../../src/products/product-search-short.js';
import { estimateMatches, termTrigrams, trigramDocCounts } from '../../src/products/product-search-trigrams.js';
import {
  planSearch,
  SEARCH_CANDIDATE_LIMIT,
  searchCandidates,
  type SearchListing,
  type SearchPlan,
  type SearchPlanner,
} from '../../src/products/product-search.js';
import { fold } from '../../src/db/product-table.js';
import { createTestCatalog, testDatabases, TEST_OPTIONS, type TestCatalog } from '../../src/testing.js';

const admin = { actor: SYSTEM_ACTOR };
/** The default listing: newest first, 20 a page, no other filter. */
const LISTING: SearchListing = { database: 'sqlite', sortBy: 'created_at', wanted: 21, filtered: false };
const SORTS: [ProductSortBy, SortOrder][] = (['created_at', 'price', 'rating', 'name'] as const).flatMap((by) =>
  (['asc', 'desc'] as const).map((order): [ProductSortBy, SortOrder] => [by, order]),
);

const COMMON = ['Oak', 'Teapot', 'Kettle', 'Sage', 'Rustic', 'Navy'];
const RARE = ['Zebra', 'Quartz', 'Ümlaut', 'Straße', '😀mug', '100%', 'snake_case', 'back\\slash', '"quoted"'];
/** Names shorter than a trigram exist too: they have no trigram at all. */
const SHORT = ['Ox', 'q', 'Zz', 'é'];

/**
 * A seeded catalog: mostly names of common words (some term in a third of the rows, like the
 * bench's "oak"), a few rare words, a few one- and two-character names, ties of price and
 * rating, unrated rows, and some soft-deleted rows (never listed, still in the trigram index).
 */
function datasetNames(count: number): { name: string; price: number; rating: number | null }[] {
  const row = fc.record({
    words: fc.tuple(fc.constantFrom(...COMMON), fc.constantFrom(...COMMON)),
    rare: fc.option(fc.constantFrom(...RARE), { freq: 19 }),
    short: fc.constantFrom(...SHORT),
    joiner: fc.constantFrom(' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', '-'),
    price: fc.integer({ min: 0, max: 19 }),
    rating: fc.option(fc.integer({ min: 0, max: 9 }), { freq: 4 }),
  });
  // fast-check's own seeded sampling: the same dataset on every run.
  return fc.sample(row, { seed: 16, numRuns: count }).map((r, i) => ({
    name: i % 97 === 0 ? r.short : [...r.words, ...(r.rare === null ? [] : [r.rare])].join(r.joiner),
    price: r.price,
    rating: r.rating === null ? null : r.rating / 2 + 0.5,
  }));
}

/** The same services as the catalog's, reading through the ORM's connection. */
async function serviceContext(catalog: TestCatalog): Promise<{ ctx: ServiceContext; close: () => Promise<void> }> {
  const config = resolveConfig({ ...TEST_OPTIONS, database: catalog.url });
  const orm = await openDatabase(config);
  const read = ormRowReader(orm);
  const secret = TEST_OPTIONS.secret!;
  const ctx: ServiceContext = {
    orm,
    config,
    secret,
    cursors: createCursorCodec(secret),
    read,
    scan: read,
    rateLimits: new RateLimitCounters(orm),
  };
  return { ctx, close: () => orm.close(true) };
}

/** Always `plan`, where the term has a trigram (else as planned: a short term has no other plan). */
const always =
  (plan: (read: Parameters<SearchPlanner>[0], term: string) => Promise<SearchPlan>): SearchPlanner =>
  async (read, term, listing) =>
    termTrigrams(term).length === 0 ? planSearch(read, term, listing) : plan(read, term);
/** Every trigram candidate, however many. */
const allCandidates = always(async (read, term) => {
  const docs = await trigramDocCounts(
    read,
    termTrigrams(term).map((g) => g.text),
  );
  return { kind: 'candidates', rowids: (await searchCandidates(read, term, docs, Number.MAX_SAFE_INTEGER - 1))! };
});

/** What a page says: its rows, its cursors. */
const summary = (page: Page<Product>) => ({
  ids: page.data.map((p) => p.id),
  total: page.total,
  next: page.next_cursor,
  prev: page.prev_cursor,
  more: page.has_more,
});

for (const db of testDatabases()) {
  const d = `[${db.name}]`;
  const planners: [string, SearchPlanner][] =
    db.name === 'sqlite'
      ? [
          ['planned', planSearch],
          ['scan', async () => ({ kind: 'scan' })],
          ['indexed', always(async () => ({ kind: 'indexed' }))],
          ['candidates', allCandidates],
        ]
      : [['planned', planSearch]];

  test(`every search plan returns the pages of the listing filtered by the term, cursors included ${d}`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const rows = datasetNames(1500);
    const created: Product[] = [];
    for (let i = 0; i < rows.length; i += 500)
      created.push(
        ...(await catalog.products.createMany(
          rows.slice(i, i + 500).map((row) => ({ ...row, category: 'Plans' })),
          admin,
        )),
      );
    for (const product of created.filter((_, i) => i % 13 === 0)) await catalog.products.delete(product.id, admin);
    const { ctx, close } = await serviceContext(catalog);
    t.teardown(close);

    // The model: every live product in each order, read once without a search.
    const everything = new Map<string, Product[]>();
    for (const [sortBy, order] of SORTS) {
      const all: Product[] = [];
      let cursor: string | undefined;
      do {
        const page = await listProducts(
          ctx,
          ProductListQuerySchema.parse({ sort_by: sortBy, sort_order: order, limit: 100, cursor }),
        );
        all.push(...page.data);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      everything.set(`${sortBy} ${order}`, all);
    }
    const names = rows.map((row) => row.name);

    const term = fc.oneof(
      // A piece of an existing name: mostly matches, in any case.
      fc
        .tuple(fc.constantFrom(...names), fc.nat(), fc.integer({ min: 1, max: 8 }), fc.boolean())
        .map(([name, at, length, upper]) => {
          const chars = [...name];
          const start = at % chars.length;
          const piece = chars.slice(start, start + length).join('');
          return upper ? piece.toUpperCase() : piece;
        }),
      // Anything over an alphabet of the names' letters and the characters LIKE treats specially.
      fc.array(fc.constantFrom(...'oaketpzqü😀 _%\\"-'), { minLength: 1, maxLength: 5 }).map((chars) => chars.join('')),
    );
    await fc.assert(
      fc.asyncProperty(
        term.filter((s) => s.trim().length > 0),
        fc.constantFrom(...SORTS),
        fc.integer({ min: 1, max: 7 }),
        fc.option(fc.integer({ min: 0, max: 19 }), { nil: undefined }),
        async (search, [sortBy, order], limit, minPrice) => {
          const expected = everything
            .get(`${sortBy} ${order}`)!
            .filter((p) => fold(p.name).includes(fold(search.trim())) && p.price >= (minPrice ?? 0));
          const walks = [];
          for (const [, planner] of planners) {
            const query = (cursor?: string): ProductListQuery => ({
              search,
              sort_by: sortBy,
              sort_order: order,
              limit,
              include_total: true,
              ...(minPrice === undefined ? {} : { min_price: minPrice }),
              ...(cursor ? { cursor } : {}),
            });
            // Three pages forward, then one back from the last.
            let page = await listProducts(ctx, ProductListQuerySchema.parse(query()), undefined, planner);
            const forward = [summary(page)];
            for (let i = 0; i < 2 && page.next_cursor; i++) {
              page = await listProducts(ctx, ProductListQuerySchema.parse(query(page.next_cursor)), undefined, planner);
              forward.push(summary(page));
            }
            const back = page.prev_cursor
              ? summary(
                  await listProducts(ctx, ProductListQuerySchema.parse(query(page.prev_cursor)), undefined, planner),
                )
              : undefined;
            walks.push({ forward, back });
          }
          const found = walks[0]!.forward.flatMap((page) => page.ids);
          t.is(walks[0]!.forward[0]!.total, expected.length, search);
          t.deepEqual(
            found,
            expected.slice(0, 3 * limit).map((p) => p.id),
            search,
          );
          for (const [i, walk] of walks.entries()) t.deepEqual(walk, walks[0], `${planners[i]![0]}: ${search}`);
        },
      ),
      { numRuns: 80 },
    );
  });
}

for (const db of testDatabases()) {
  test(`one- and two-character terms find exactly the live names holding them [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const names = ['Oak Teapot', 'ab', 'x', 'Straße 😀', 'tail-zq', 'é', 'Gone q'];
    const created = await catalog.products.createMany(
      names.map((name, i) => ({ name, category: 'Short', price: i })),
      admin,
    );
    await catalog.products.delete(created[6]!.id, admin);
    const live = names.slice(0, 6);
    const singles = [...new Set(names.flatMap((name) => [...fold(name)]))].concat(['y', '%', '_']);
    const pairs = ['ab', 'zq', 'q', ' q', 'qq', 'k ', 'ße', 'e 😀', '😀', '-z', 'ea', 'xa', 'A', 'É'];
    for (const term of [...singles, ...pairs].filter((s) => s.trim().length > 0)) {
      const found = (await catalog.products.list({ search: term, limit: 100 })).data.map((p) => p.name).sort();
      t.deepEqual(found, live.filter((name) => fold(name).includes(fold(term.trim()))).sort(), term);
    }
  });
}

for (const db of testDatabases().filter((x) => x.name === 'sqlite')) {
  test(`short terms: no match is told from the trigram index and the short names, exactly [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const { ctx, close } = await serviceContext(catalog);
    t.teardown(close);
    const names = ['Oak Teapot', 'ab', 'x', 'Straße 😀', 'tail-zq', 'é'];
    const created = await catalog.products.createMany(
      names.map((name, i) => ({ name, category: 'Short', price: i })),
      admin,
    );
    const alphabet = [...new Set(names.flatMap((name) => [...fold(name)]))].concat(['q', 'y', '%']);
    const terms = alphabet.flatMap((a) => [a, ...alphabet.map((b) => a + b)]);
    const check = async (all: string[]) => {
      for (const term of terms)
        t.is(
          await shortTermMayMatch(ctx.scan, term),
          all.some((name) => fold(name).includes(term)),
          term,
        );
    };
    await check(names);
    // A soft-deleted product still holds its trigrams (the search then scans, and finds nothing).
    await catalog.products.delete(created[4]!.id, admin);
    await check(names);
    t.deepEqual((await catalog.products.list({ search: 'zq' })).data, []);
    // A renamed one does not.
    await catalog.products.patch(created[3]!.id, { name: 'Plain' }, admin);
    await check(names.map((name, i) => (i === 3 ? 'Plain' : name)));
    t.deepEqual(await planSearch(ctx.scan, 'ß', LISTING), { kind: 'candidates', rowids: [] });
    t.deepEqual(await planSearch(ctx.scan, 'pl', LISTING), { kind: 'scan' });
    t.deepEqual(
      (await catalog.products.list({ search: 'PL' })).data.map((p) => p.name),
      ['Plain'],
    );
    t.deepEqual(
      (await catalog.products.list({ search: 'x' })).data.map((p) => p.name),
      ['x'],
    );
  });

  test(`the planner scans for a common term and reads the candidates of a rare one [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    const { ctx, close } = await serviceContext(catalog);
    t.teardown(close);
    // More matches of "widget" than the candidate list takes.
    const rows = Array.from({ length: 2 * SEARCH_CANDIDATE_LIMIT + 200 }, (_, i) => ({
      name: i % 2 === 0 ? `common widget ${i}` : `plain thing ${i}`,
      category: 'Plan',
      price: i,
    }));
    rows.push({ name: 'one rare zebra', category: 'Plan', price: 1 });
    await catalog.products.createMany(rows, admin);
    t.deepEqual(await planSearch(ctx.scan, 'widget', LISTING), { kind: 'scan' });
    // Along another order, or with another filter, the matches may cluster: the trigram index answers.
    t.deepEqual(await planSearch(ctx.scan, 'widget', { ...LISTING, sortBy: 'name' }), { kind: 'indexed' });
    t.deepEqual(await planSearch(ctx.scan, 'widget', { ...LISTING, filtered: true }), { kind: 'indexed' });
    const rare = await planSearch(ctx.scan, 'rare zebra', LISTING);
    t.is(rare.kind, 'candidates');
    t.is(rare.kind === 'candidates' ? rare.rowids.length : -1, 1);
    t.deepEqual(await planSearch(ctx.scan, 'absent', LISTING), { kind: 'candidates', rowids: [] });
    t.deepEqual(await planSearch(ctx.scan, 'widget', { ...LISTING, database: 'postgresql' }), { kind: 'scan' });
  });
}

test('the estimate multiplies one trigram per word, as if the words were independent', (t) => {
  const docs = new Map(
    Object.entries({ oak: 100, 'ak ': 100, 'k t': 30, ' te': 60, tea: 50, eap: 40, apo: 40, pot: 60 }),
  );
  // One word: its rarest trigram alone.
  t.is(estimateMatches(termTrigrams('teapot'), docs, 1000), 40);
  // Two words: the rarest cross-word trigram, then the rarest disjoint one of the other word.
  t.is(estimateMatches(termTrigrams('oak teapot'), docs, 1000), (30 * 40) / 1000);
  t.is(estimateMatches(termTrigrams('oak'), docs, 0), 0);
  t.is(estimateMatches(termTrigrams('zzz'), docs, 1000), 0);
});
