import test from 'ava';
import { ProductSchema } from '@catalog/contract';
import {
  fromDb,
  newIdentity,
  PRODUCT_COLUMNS,
  PRODUCT_PROPERTIES,
  PRODUCT_WIRE_COLUMNS,
  toInput,
  toIso,
  toProduct,
  toRow,
  type ProductRow,
} from '../../src/db/product-table.js';

/** Compile-time: ProductRow names exactly the table's columns (the typecheck fails otherwise). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rowNamesEveryColumn: Same<keyof ProductRow, keyof typeof PRODUCT_PROPERTIES> = true;

const input = { name: 'Green Tea', category: 'Drinks', price: 3.5, rating: 4.5, sku: 'GT-1' };

test('the row, the column lists and the wire shape come from one definition', (t) => {
  t.true(rowNamesEveryColumn);
  const row = toRow(input, newIdentity(new Date('2026-01-02T03:04:05.678Z')));
  t.deepEqual(Object.keys(row).sort(), [...PRODUCT_COLUMNS].sort());
  t.is(row.name_folded, 'green tea');
  t.is(row.price_cents, 350);
  t.is(row.rating_tenths, 45);
  // Every wire column is read by toProduct: dropping one from the select list changes the output.
  const product = toProduct(row, true);
  t.true(ProductSchema.strict().safeParse(product).success);
  for (const column of PRODUCT_WIRE_COLUMNS) {
    const partial = { ...row, [column]: column === 'deleted_at' ? new Date(0) : undefined };
    t.notDeepEqual(safeProduct(partial), product, column);
  }
  t.deepEqual(toInput(row), input);
});

test('rows as the drivers return them read back to the same row', (t) => {
  const row = toRow(input, newIdentity(new Date('2026-01-02T03:04:05.678Z')));
  const sqlite = { ...row, created_at: row.created_at.getTime(), updated_at: row.updated_at.getTime() };
  const postgres = { ...row, price_cents: String(row.price_cents) };
  t.deepEqual(fromDb(sqlite), row);
  t.deepEqual(fromDb(postgres), row);
  t.deepEqual(toProduct(sqlite, false), toProduct(row, false));
});

function safeProduct(row: Record<string, unknown>): unknown {
  try {
    return toProduct(row as unknown as ProductRow, true);
  } catch (error) {
    return error;
  }
}

test('toIso gives the ISO text of any instant, remembered or not, from epoch ms, digits or a Date', (t) => {
  const start = Date.UTC(2020, 0, 1);
  // More instants than toIso remembers, then the first ones again (after it emptied its memory).
  const instants = Array.from({ length: 20_000 }, (_, i) => start + i * 7919 + (i % 1000));
  for (const ms of [...instants, ...instants.slice(0, 100)]) {
    const expected = new Date(ms).toISOString();
    t.is(toIso(ms), expected);
    t.is(toIso(String(ms)), expected);
    t.is(toIso(new Date(ms)), expected);
  }
  t.throws(() => toIso(Number.NaN), { instanceOf: RangeError });
});
