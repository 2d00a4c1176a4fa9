import type { Product, ProductInputParsed } from '@catalog/contract';
import type { ProductRecord } from '../db/entities.js';

/**
 * A product row read as plain columns (no entity): SQLite gives datetimes as epoch ms, PostgreSQL
 * as Date, and bigint cents as a string.
 */
export interface ProductRawRow {
  id: string;
  name: string;
  category: string;
  price_cents: number | string;
  rating_tenths: number | null;
  created_at: Date | number | string;
  updated_at: Date | number | string;
  deleted_at: Date | number | string | null;
}

/** The columns of ProductRawRow. */
export const PRODUCT_RAW_FIELDS = [
  'id',
  'name',
  'category',
  'price_cents',
  'rating_tenths',
  'created_at',
  'updated_at',
  'deleted_at',
] as const;

/** The columns of ProductRawRow, for raw SELECTs. */
export const PRODUCT_RAW_COLUMNS = PRODUCT_RAW_FIELDS.join(', ');

/** Timestamps may arrive as Date (entities) or epoch ms / strings (raw rows); always ISO with ms. */
export function toIso(value: Date | number | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function centsToPrice(cents: number | string): number {
  return Number(cents) / 100;
}

export function priceToCents(price: number): number {
  return Math.round(price * 100);
}

export function tenthsToRating(tenths: number | null): number | null {
  return tenths === null ? null : tenths / 10;
}

export function ratingToTenths(rating: number | null): number | null {
  return rating === null ? null : Math.round(rating * 10);
}

/** Folding used for case-insensitive search and category matching, identical on every database. */
export function fold(text: string): string {
  return text.toLowerCase();
}

/** Column values of a product from validated input. */
export function toColumns(input: ProductInputParsed) {
  return {
    name: input.name,
    name_folded: fold(input.name),
    category: input.category,
    category_folded: fold(input.category),
    price_cents: priceToCents(input.price),
    rating_tenths: ratingToTenths(input.rating),
  };
}

/**
 * The wire shape of a product. `deleted_at` is included only for admins (`withDeletedAt`), so a
 * non-admin response never reveals soft-delete state.
 */
export function toProduct(record: ProductRecord | ProductRawRow, withDeletedAt: boolean): Product {
  const product: Product = {
    id: record.id,
    name: record.name,
    category: record.category,
    price: centsToPrice(record.price_cents),
    rating: tenthsToRating(record.rating_tenths ?? null),
    created_at: toIso(record.created_at),
    updated_at: toIso(record.updated_at),
  };
  if (withDeletedAt)
    product.deleted_at =
      record.deleted_at === null || record.deleted_at === undefined ? null : toIso(record.deleted_at);
  return product;
}
