import type { ProductListQueryParsed, ProductSortBy, SortOrder } from '@catalog/contract';
import type { SortKey, SqlCondition } from '../cursor/index.js';
import { ftsPhrase, type SearchPlan } from './product-search.js';
import { fold, priceToCents, ratingToTenths } from '../db/product-table.js';

/** The sort key of each `sort_by`; adding a sortable field is one line here (plus its index). */
const SORT_KEYS: Record<ProductSortBy, Omit<SortKey, 'direction'>> = {
  created_at: { field: 'created_at', type: 'date' },
  price: { field: 'price_cents', type: 'number' },
  rating: { field: 'rating_tenths', type: 'number', nullable: true },
  name: { field: 'name', type: 'string' },
};

/** `K D, id D`: the order of a listing, made total by the unique id. */
export function productSort(sortBy: ProductSortBy, order: SortOrder): SortKey[] {
  return [
    { ...SORT_KEYS[sortBy], direction: order },
    { field: 'id', type: 'string', direction: order },
  ];
}

/** `%`, `_` and the escape character itself are literal in a search term. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Case-insensitive substring search on the folded name. The LIKE decides what matches on both
 * databases; on SQLite the search plan (product-search.ts) may narrow the rows it is checked
 * against to the trigram index's candidates (a rowid list) or matches (a subquery). On PostgreSQL
 * the planner may serve the LIKE from the pg_trgm index.
 */
function searchConditions(term: string, plan: SearchPlan | undefined): SqlCondition[] {
  // SQLite has no default escape character, so the ESCAPE clause is spelled out for both.
  const conditions: SqlCondition[] = [{ sql: `name_folded like ? escape '\\'`, params: [`%${escapeLike(term)}%`] }];
  if (plan?.kind === 'candidates') {
    if (!plan.rowids.every(Number.isSafeInteger)) throw new TypeError('search candidates must be rowids');
    conditions.push({ sql: `rowid in (${plan.rowids.length > 0 ? plan.rowids.join(', ') : 'null'})` });
  } else if (plan?.kind === 'indexed') {
    conditions.push({
      sql: 'rowid in (select rowid from products_search where products_search match ?)',
      params: [ftsPhrase(term)],
    });
  }
  return conditions;
}

/**
 * Whether every statement of the listing reads one index range of at most `limit + 1` rows: no
 * search and no filters but an exact SKU (a unique index), over live products (the sort indexes
 * are indexes of live rows). Any other listing may read many rows before it fills a page.
 */
export function isIndexBounded(
  query: Omit<ProductListQueryParsed, 'cursor' | 'limit' | 'sort_by' | 'sort_order'>,
): boolean {
  const { search, category, min_price, max_price, min_rating, include_deleted } = query;
  return [search, category, min_price, max_price, min_rating].every((value) => value === undefined) && !include_deleted;
}

/** Filters of a listing as SQL conditions, plus the canonical filter set a cursor is bound to. */
export function productWhere(
  query: Omit<ProductListQueryParsed, 'cursor' | 'limit' | 'sort_by' | 'sort_order'>,
  search?: SearchPlan,
): { where: SqlCondition[]; filters: Record<string, unknown> } {
  const where: SqlCondition[] = [];
  const filters: Record<string, unknown> = {};
  if (query.include_deleted) filters.include_deleted = true;
  // With a candidate list, `+` keeps SQLite from reading a sort index for deleted_at = NULL: the
  // few candidate rows are fetched by rowid and sorted instead.
  else where.push({ sql: search?.kind === 'candidates' ? '+deleted_at is null' : 'deleted_at is null' });
  if (query.search !== undefined) {
    filters.search = fold(query.search);
    where.push(...searchConditions(filters.search as string, search));
  }
  if (query.sku !== undefined) {
    filters.sku = query.sku;
    where.push({ sql: 'sku = ?', params: [query.sku] });
  }
  if (query.category !== undefined) {
    filters.category = fold(query.category);
    where.push({ sql: 'category_folded = ?', params: [filters.category] });
  }
  if (query.min_price !== undefined) {
    filters.min_price = priceToCents(query.min_price);
    where.push({ sql: 'price_cents >= ?', params: [filters.min_price] });
  }
  if (query.max_price !== undefined) {
    filters.max_price = priceToCents(query.max_price);
    where.push({ sql: 'price_cents <= ?', params: [filters.max_price] });
  }
  if (query.min_rating !== undefined) {
    filters.min_rating = ratingToTenths(query.min_rating);
    where.push({ sql: 'rating_tenths >= ?', params: [filters.min_rating] });
  }
  return { where, filters };
}
