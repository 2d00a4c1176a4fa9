import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import type { Page } from '../../src/cursor/index.js';
import type { ProductRecord } from '../../src/db/entities.js';
import { testDatabases } from '../../src/testing.js';
import { openCursorDatabase, type ProductRow } from './support/database.js';
import {
  compareRows,
  dataset,
  filtersArb,
  matches,
  sortArb,
  sortSpec,
  SORT_FIELDS,
  type Filters,
} from './support/model.js';
import { MutableModel, mutationArb } from './support/mutations.js';
import { walkBackward, walkForward, type Listing } from './support/walk.js';

/*
 * SPEC §3's guarantee under concurrent writes: between page fetches, rows are inserted, updated,
 * soft-deleted and restored. Walking forward to the end and then backward to the start, every row
 * that matched the query for the whole walk without a change that moves it (sort key, filter
 * column, deletion) is seen exactly once, in order; no row whose sort key did not change is seen
 * twice. (A row whose sort key changes may legitimately move past the cursor.)
 */

export const CONCURRENT_RUNS = 200;

const limitArb = fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 6 }));
const stepsArb = fc.array(fc.array(mutationArb, { maxLength: 3 }), { minLength: 1, maxLength: 12 });

/** Columns whose change can move a row into, out of, or across the walk. */
function movingColumns(sortField: string, filters: Filters): string[] {
  const columns = ['deleted_at', 'inserted', sortField];
  if (filters.category !== undefined) columns.push('category_folded');
  if (filters.min_price !== undefined || filters.max_price !== undefined) columns.push('price_cents');
  if (filters.min_rating !== undefined) columns.push('rating_tenths');
  return columns;
}

/** Checks one walk: `seen` in walk order, `before` = the rows live and matching when it began. */
function assertWalk(
  seen: ProductRecord[],
  before: ProductRow[],
  model: MutableModel,
  listing: Listing,
  field: string,
): void {
  const moving = movingColumns(field, listing.filters);
  const steady = (id: string) => !moving.some((column) => model.changed(id).has(column));
  const counts = new Map<string, number>();
  for (const row of seen) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
  for (const [id, count] of counts) {
    if (!model.changed(id).has(field))
      assert.ok(count === 1, `row ${id} seen ${count} times though its sort key never changed`);
  }
  const stable = before.filter((row) => steady(row.id));
  for (const row of stable)
    assert.equal(counts.get(row.id), 1, `stable row ${row.id} seen ${counts.get(row.id) ?? 0} times`);
  const stableIds = new Set(stable.map((row) => row.id));
  const order = seen.filter((row) => stableIds.has(row.id)).map((row) => row.id);
  const sorted = stable.sort(compareRows(listing.sort)).map((row) => row.id);
  assert.deepEqual(order, sorted, 'stable rows came out of order');
}

for (const database of testDatabases()) {
  test.serial(
    `every row unchanged for a whole walk is seen exactly once under concurrent writes, ${CONCURRENT_RUNS} cases [${database.name}]`,
    async (t) => {
      const db = await openCursorDatabase(database);
      t.teardown(() => db.close());
      await fc.assert(
        fc.asyncProperty(
          dataset(30),
          sortArb,
          filtersArb,
          limitArb,
          stepsArb,
          async (rows, sortBy, filters, limit, steps) => {
            await db.reset(rows);
            const model = new MutableModel(rows);
            const listing: Listing = { sort: sortSpec(sortBy.name, sortBy.direction), filters, limit };
            const field = SORT_FIELDS[sortBy.name].field;
            let step = 0;
            const between = async () => {
              for (const mutation of steps[step++ % steps.length]!) await model.apply(db, mutation);
            };
            const live = () =>
              [...model.rows.values()].filter((row) => matches(row, filters)).map((row) => ({ ...row }));

            const atStart = live();
            const forward = await walkForward(db, listing, between);
            assertWalk(
              forward.flatMap((page) => page.data),
              atStart,
              model,
              listing,
              field,
            );

            model.resetChanges();
            const last = forward.at(-1)!;
            const atEnd = live();
            const backward: Page<ProductRecord>[] = await walkBackward(db, listing, last, between);
            const seenBack = [...backward]
              .reverse()
              .flatMap((page) => page.data)
              .concat(last.data);
            assertWalk(seenBack, atEnd, model, listing, field);
          },
        ),
        { numRuns: CONCURRENT_RUNS },
      );
      t.pass();
    },
  );
}
