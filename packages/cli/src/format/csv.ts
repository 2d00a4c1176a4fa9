import { stringify as stringifyStream, type Stringifier } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';

/** Columns of a product in CSV: the wire fields, in the order `catalog products import` reads back. */
export const PRODUCT_CSV_COLUMNS = [
  'id',
  'name',
  'category',
  'price',
  'rating',
  'sku',
  'version',
  'created_at',
  'updated_at',
] as const;
/** With `--include-deleted`: admins also see when a product was deleted. */
export const PRODUCT_CSV_COLUMNS_WITH_DELETED = [...PRODUCT_CSV_COLUMNS, 'deleted_at'] as const;
export const USER_CSV_COLUMNS = ['id', 'email', 'name', 'role', 'disabled', 'created_at'] as const;

/**
 * Rows as CSV text (RFC 4180 quoting; null becomes an empty cell).
 *
 * @example
 * csvText([{ id: '1', name: 'Tea, green' }], ['id', 'name'], true); // 'id,name\n1,"Tea, green"\n'
 */
export function csvText(rows: readonly object[], columns: readonly string[], header: boolean): string {
  return stringify(rows as Record<string, unknown>[], { columns: [...columns], header });
}

/** A streaming CSV writer for exports of any size: write objects in, CSV text comes out. */
export function csvStream(columns: readonly string[]): Stringifier {
  return stringifyStream({ columns: [...columns], header: true });
}
