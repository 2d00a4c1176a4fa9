import { raw } from '@mikro-orm/core';
import type { ProductListQueryParsed, ProductSortBy, SortOrder } from '@catalog/contract';
import type { DatabaseKind } from '../config.js';
import type { SortKey } from '../cursor/index.js';
import { fold, priceToCents, ratingToTenths } from './product-view.js';

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

/** FTS5's trigram tokenizer only indexes terms of three characters or more. */
const TRIGRAM = 3;

/**
 * Case-insensitive substring search on the folded name. The LIKE decides what matches on both
 * databases; on SQLite the FTS5 trigram index (migration 0004) narrows the candidates first,
 * on PostgreSQL the pg_trgm index serves the LIKE itself.
 */
function searchConditions(term: string, database: DatabaseKind): Record<string, unknown> {
  const conditions: Record<string, unknown> = {};
  // MikroORM's $like has no ESCAPE clause, and SQLite has no default escape character.
  const pattern = `%${escapeLike(term)}%`;
  conditions[raw((alias: string) => `${alias}.name_folded like ? escape '\\'`, [pattern])] = [];
  if (database === 'sqlite' && [...term].length >= TRIGRAM) {
    const phrase = `"${term.replaceAll('"', '""')}"`;
    conditions[raw((alias: string) => `${alias}.rowid in (select rowid from products_search where products_search match ?)`, [phrase])] = [];
  }
  return conditions;
}

/** Filters of a listing as a MikroORM `where`, plus the canonical filter set a cursor is bound to. */
export function productWhere(query: Omit<ProductListQueryParsed, 'cursor' | 'limit' | 'sort_by' | 'sort_order'>, database: DatabaseKind) {
  const where: Record<string, unknown> = {};
  const filters: Record<string, unknown> = {};
  if (!query.include_deleted) where.deleted_at = null;
  else filters.include_deleted = true;
  if (query.search !== undefined) {
    filters.search = fold(query.search);
    Object.assign(where, searchConditions(filters.search as string, database));
  }
  if (query.category !== undefined) {
    where.category_folded = fold(query.category);
    filters.category = fold(query.category);
  }
  const price: Record<string, number> = {};
  if (query.min_price !== undefined) price.$gte = filters.min_price = priceToCents(query.min_price);
  if (query.max_price !== undefined) price.$lte = filters.max_price = priceToCents(query.max_price);
  if (Object.keys(price).length > 0) where.price_cents = price;
  if (query.min_rating !== undefined) {
    where.rating_tenths = { $gte: (filters.min_rating = ratingToTenths(query.min_rating)) };
  }
  return { where, filters };
}
