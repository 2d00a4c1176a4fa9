import fc from 'fast-check';
import type { Direction, SortKey, SqlCondition } from '../../../src/cursor/index.js';
import type { ProductRow } from './database.js';

/*
 * The model the property tests compare against: products in memory, filtered and sorted by brute
 * force with the SPEC's rules (NULLs last in both directions, names in code-point order).
 * Values come from small pools so that ties — equal prices, ratings, names, timestamps — are common.
 */

const BASE_MS = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
// Code-point order differs from UTF-16 order (astral vs U+FFxx) and from any locale's order.
const NAMES = [
  'apple',
  'Apple',
  'äpple',
  'Zebra',
  'zebra',
  'a_b',
  'a%b',
  '😀 grin',
  '\uFF21 wide A',
  'ﬀ ligature',
  'é',
  'e\u0301',
];
const CATEGORIES = ['Books', 'books', 'Toys', 'Food'];
const PRICES = [0, 1, 250, 999, 1000, 100_000_000_000];
const RATINGS = [null, null, 0, 25, 50];
const TIMES = [0, 1, 999, 1000].map((offset) => BASE_MS + offset);

export const SORT_FIELDS = {
  created_at: { field: 'created_at', type: 'date' },
  price: { field: 'price_cents', type: 'number' },
  rating: { field: 'rating_tenths', type: 'number', nullable: true },
  name: { field: 'name', type: 'string' },
} as const satisfies Record<string, Omit<SortKey, 'direction'>>;
export type SortName = keyof typeof SORT_FIELDS;

/** `K D, id D`, as the product listing sorts. */
export function sortSpec(name: SortName, direction: Direction): SortKey[] {
  return [
    { ...SORT_FIELDS[name], direction },
    { field: 'id', type: 'string', direction },
  ];
}

export interface Filters {
  category?: string;
  min_price?: number;
  max_price?: number;
  min_rating?: number;
}

/** The SQL conditions of a filter set over live rows. */
export function whereOf(filters: Filters): SqlCondition[] {
  const where: SqlCondition[] = [{ sql: 'deleted_at is null' }];
  if (filters.category !== undefined) where.push({ sql: 'category_folded = ?', params: [filters.category] });
  if (filters.min_price !== undefined) where.push({ sql: 'price_cents >= ?', params: [filters.min_price] });
  if (filters.max_price !== undefined) where.push({ sql: 'price_cents <= ?', params: [filters.max_price] });
  if (filters.min_rating !== undefined) where.push({ sql: 'rating_tenths >= ?', params: [filters.min_rating] });
  return where;
}

export function matches(row: ProductRow, filters: Filters): boolean {
  if (row.deleted_at !== null) return false;
  if (filters.category !== undefined && row.category_folded !== filters.category) return false;
  if (filters.min_price !== undefined && row.price_cents < filters.min_price) return false;
  if (filters.max_price !== undefined && row.price_cents > filters.max_price) return false;
  if (filters.min_rating !== undefined && (row.rating_tenths === null || row.rating_tenths < filters.min_rating))
    return false;
  return true;
}

function keyValue(row: ProductRow, key: SortKey): string | number | null {
  const value = (row as unknown as Record<string, unknown>)[key.field];
  return value instanceof Date ? value.getTime() : (value as string | number | null);
}

/** Compares by SPEC §3: NULLs after every value in both directions; strings by code point. */
export function compareRows(sort: SortKey[]): (a: ProductRow, b: ProductRow) => number {
  return (a, b) => {
    for (const key of sort) {
      const x = keyValue(a, key);
      const y = keyValue(b, key);
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      const order =
        typeof x === 'string' && typeof y === 'string'
          ? Buffer.compare(Buffer.from(x), Buffer.from(y))
          : (x as number) < (y as number)
            ? -1
            : 1;
      if (order !== 0) return key.direction === 'asc' ? order : -order;
    }
    return 0;
  };
}

/** The brute-force answer: the ids of all matching rows in display order. */
export function expectedIds(rows: readonly ProductRow[], sort: SortKey[], filters: Filters): string[] {
  return rows
    .filter((row) => matches(row, filters))
    .sort(compareRows(sort))
    .map((row) => row.id);
}

export const productFields = fc.record({
  name: fc.constantFrom(...NAMES),
  category: fc.constantFrom(...CATEGORIES),
  price_cents: fc.constantFrom(...PRICES),
  rating_tenths: fc.constantFrom(...RATINGS),
  created_at: fc.constantFrom(...TIMES),
  // About one row in four is soft-deleted.
  deleted: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
});
export type ProductFields = typeof productFields extends fc.Arbitrary<infer F> ? F : never;

export function toRow(id: string, fields: ProductFields): ProductRow {
  const created = new Date(fields.created_at);
  return {
    id,
    name: fields.name,
    name_folded: fields.name.toLowerCase(),
    category: fields.category,
    category_folded: fields.category.toLowerCase(),
    price_cents: fields.price_cents,
    rating_tenths: fields.rating_tenths,
    sku: null,
    version: 1,
    created_at: created,
    updated_at: created,
    deleted_at: fields.deleted ? new Date(BASE_MS + 5000) : null,
  };
}

/** A dataset of up to `max` rows with unique UUIDv7 ids (sizes spread over the whole range). */
export const dataset = (max: number) =>
  fc
    .uniqueArray(fc.tuple(fc.uuid({ version: 7 }), productFields), {
      maxLength: max,
      size: 'max',
      selector: ([id]) => id,
    })
    .map((items) => items.map(([id, fields]) => toRow(id, fields)));

/** Present about one time in four, so that most cases still page through many rows. */
const sometimes = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });

export const filtersArb: fc.Arbitrary<Filters> = fc
  .record({
    category: sometimes(fc.constantFrom('books', 'toys', 'food', 'garden')),
    min_price: sometimes(fc.constantFrom(...PRICES.slice(0, -1))),
    max_price: sometimes(fc.constantFrom(...PRICES.slice(1))),
    min_rating: sometimes(fc.constantFrom(0, 25, 50)),
  })
  .map((record) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Filters);

export const sortArb = fc.record({
  name: fc.constantFrom<SortName>('created_at', 'price', 'rating', 'name'),
  direction: fc.constantFrom<Direction>('asc', 'desc'),
});
