import type { Product, User } from '@catalog/contract';
import {
  PRODUCT_CSV_COLUMNS,
  PRODUCT_CSV_COLUMNS_WITH_DELETED,
  PRODUCT_CSV_TEXT_COLUMNS,
  USER_CSV_COLUMNS,
} from './csv.js';
import type { RecordView } from './output.js';
import { showNullable, showPrice, showRating, type TableColumn } from './table.js';

const PRODUCT_TABLE: TableColumn<Product>[] = [
  { header: 'id', value: (p) => p.id },
  { header: 'name', value: (p) => p.name },
  { header: 'category', value: (p) => p.category },
  { header: 'price', value: (p) => showPrice(p.price), align: 'right' },
  { header: 'rating', value: (p) => showRating(p.rating), align: 'right' },
  { header: 'created_at', value: (p) => p.created_at },
];

function showProductField(product: Product, column: string): string {
  if (column === 'price') return showPrice(product.price);
  if (column === 'rating') return showRating(product.rating);
  return showNullable(product[column as keyof Product] as string | null | undefined);
}

/**
 * How products are printed. With `includeDeleted` (admins listing soft-deleted rows) the table and
 * the CSV gain a `deleted_at` column.
 */
export function productView(includeDeleted = false): RecordView<Product> {
  return {
    tableColumns: includeDeleted
      ? [...PRODUCT_TABLE, { header: 'deleted_at', value: (p) => showNullable(p.deleted_at) }]
      : PRODUCT_TABLE,
    columns: includeDeleted ? PRODUCT_CSV_COLUMNS_WITH_DELETED : PRODUCT_CSV_COLUMNS,
    csvTextColumns: PRODUCT_CSV_TEXT_COLUMNS,
    show: showProductField,
  };
}

export const userView: RecordView<User> = {
  tableColumns: [
    { header: 'id', value: (u) => u.id },
    { header: 'email', value: (u) => u.email },
    { header: 'name', value: (u) => showNullable(u.name) },
    { header: 'role', value: (u) => u.role },
    { header: 'disabled', value: (u) => String(u.disabled) },
    { header: 'created_at', value: (u) => u.created_at },
  ],
  columns: USER_CSV_COLUMNS,
  show: (user, column) => {
    const value = user[column as keyof User];
    return typeof value === 'boolean' ? String(value) : showNullable(value);
  },
};
