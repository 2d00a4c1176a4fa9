import type { ProductSortBy, SortOrder } from '@catalog/contract';
// The benchmark signs its deep-page cursors exactly as the server does (same secret, same sort
// spec, same filter fingerprint) instead of walking 90% of the table page by page to reach one.
import { createCursorCodec } from '../../packages/core/src/cursor/codec.js';
import type { CursorValue } from '../../packages/core/src/cursor/types.js';
import { productSort } from '../../packages/core/src/products/product-query.js';
import type { RawDb } from './raw-db.js';

export const SORTS: { sortBy: ProductSortBy; order: SortOrder }[] = (
  ['created_at', 'price', 'rating', 'name'] as const
).flatMap((sortBy) => (['desc', 'asc'] as const).map((order) => ({ sortBy, order })));

const COLUMN: Record<ProductSortBy, string> = {
  created_at: 'created_at',
  price: 'price_cents',
  rating: 'rating_tenths',
  name: 'name',
};

/** ORDER BY of a listing in raw SQL, NULL ratings last in both directions (as the API orders). */
export function orderBySql(sortBy: ProductSortBy, order: SortOrder): string {
  const column = COLUMN[sortBy];
  const nullsLast = sortBy === 'rating' ? `(${column} is null), ` : '';
  return `${nullsLast}${column} ${order}, id ${order}`;
}

/** 0-based position of the row a deep-page cursor points at: 90% into the live rows. */
export function deepOffset(rows: number): number {
  return Math.ceil(rows * 0.9);
}

/**
 * The cursor values (sort key, id) of the row at `offset` in the order `sortBy`/`order` of the
 * unfiltered listing.
 */
export async function deepPosition(
  db: RawDb,
  sortBy: ProductSortBy,
  order: SortOrder,
  offset: number,
): Promise<[CursorValue, string]> {
  const [row] = await db.all(
    `select ${COLUMN[sortBy]} as k, id from products where deleted_at is null order by ${orderBySql(sortBy, order)} limit 1 offset ?`,
    [offset],
  );
  if (!row) throw new Error(`no row at offset ${offset}`);
  const key = row.k;
  const value: CursorValue =
    key === null ? null : key instanceof Date ? key.getTime() : sortBy === 'name' ? String(key) : Number(key);
  return [value, String(row.id)];
}

/**
 * A `next` cursor pointing at the row at `offset` in the order `sortBy`/`order` of the unfiltered
 * listing, signed with `secret`: the page it returns starts at depth offset + 1.
 */
export async function deepCursor(
  db: RawDb,
  secret: string,
  sortBy: ProductSortBy,
  order: SortOrder,
  offset: number,
): Promise<string> {
  const [value, id] = await deepPosition(db, sortBy, order, offset);
  const codec = createCursorCodec(secret);
  // The filter set of a listing without filters (products/product-query.ts productWhere).
  return codec.encode(
    { travel: 'next', values: [value, id], inclusive: false },
    { sort: productSort(sortBy, order), filters: {} },
  );
}
