import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { testDatabases } from '../../src/testing.js';
import type { ProductRecord } from '../../src/db/entities.js';
import { openCursorDatabase, type ProductRow } from './support/database.js';
import { dataset, expectedIds, filtersArb, sortArb, sortSpec } from './support/model.js';
import { fetchPage, ids, walkBackward, walkForward, type Listing } from './support/walk.js';

/*
 * Model-based property test of SPEC §3 on a fixed dataset: walking forward through every page and
 * back again gives exactly the brute-force order, page boundaries agree both ways, and every page
 * describes its surroundings (has_more, next_cursor, prev_cursor) the same however it was reached.
 */

export const STATIC_RUNS = 250;

const limitArb = fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 8 }));

for (const database of testDatabases()) {
  test.serial(
    `pages walked forward and backward equal a brute-force sort, ${STATIC_RUNS} cases [${database.name}]`,
    async (t) => {
      const db = await openCursorDatabase(database);
      t.teardown(() => db.close());
      await fc.assert(
        fc.asyncProperty(dataset(40), sortArb, filtersArb, limitArb, async (rows, sortBy, filters, limit) => {
          await db.reset(rows);
          const listing: Listing = { sort: sortSpec(sortBy.name, sortBy.direction), filters, limit };
          const expected = expectedIds(rows, listing.sort, filters);

          const forward = await walkForward(db, listing);
          assert.deepEqual(forward.flatMap(ids), expected, 'forward walk differs from the brute-force order');
          forward
            .slice(0, -1)
            .forEach((page) => assert.equal(page.data.length, limit, 'only the last page may be short'));
          assert.equal(
            forward.length,
            Math.max(1, Math.ceil(expected.length / limit)),
            'a walk has one page per limit rows',
          );
          assertRowsHydrated(
            forward.flatMap((page) => page.data),
            rows,
          );

          const backward = await walkBackward(db, listing, forward.at(-1)!);
          assert.equal(backward.length, forward.length - 1, 'walking back visits every earlier page');
          for (const [stepsBack, page] of backward.entries()) {
            const same = forward[forward.length - 2 - stepsBack]!;
            assert.deepEqual(ids(page), ids(same), 'a page reached backwards holds the rows it held forwards');
            assert.equal(
              page.prev_cursor === null,
              stepsBack === backward.length - 1,
              'prev_cursor is null only on the first page',
            );
            // Going forward again from a page reached backwards lands on the page after it.
            const after = await fetchPage(db, listing, page.next_cursor!);
            assert.deepEqual(
              ids(after),
              ids(forward[forward.length - 1 - stepsBack]!),
              'next_cursor of a page reached backwards',
            );
            assert.equal(after.has_more, forward[forward.length - 1 - stepsBack]!.has_more);
          }
        }),
        { numRuns: STATIC_RUNS },
      );
      t.pass();
    },
  );
}

/** Values come back exactly as written: integer cents, NULL ratings, millisecond timestamps. */
function assertRowsHydrated(seen: ProductRecord[], rows: ProductRow[]): void {
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of seen) {
    const model = byId.get(row.id)!;
    assert.deepEqual(
      [row.price_cents, row.rating_tenths ?? null, row.created_at.getTime(), row.name],
      [model.price_cents, model.rating_tenths, model.created_at.getTime(), model.name],
    );
  }
}
