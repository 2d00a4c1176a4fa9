import type { Product, ProductInputParsed } from '@catalog/contract';
import type { ProductRecord } from '../db/entities.js';

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
export function toProduct(record: ProductRecord, withDeletedAt: boolean): Product {
  const product: Product = {
    id: record.id,
    name: record.name,
    category: record.category,
    price: centsToPrice(record.price_cents),
    rating: tenthsToRating(record.rating_tenths ?? null),
    created_at: toIso(record.created_at),
    updated_at: toIso(record.updated_at),
  };
  if (withDeletedAt) product.deleted_at = record.deleted_at ? toIso(record.deleted_at) : null;
  return product;
}
