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

/** Product columns holding free text: the ones a spreadsheet could take for a formula. */
export const PRODUCT_CSV_TEXT_COLUMNS = ['name', 'category', 'sku'] as const;

/**
 * A text cell a spreadsheet would run as a formula starts with one of `= + - @`, tab or CR
 * (OWASP, CSV injection); `'` is the escape itself, so a text starting with it is escaped too and
 * the import can undo exactly what the export did.
 */
const NEEDS_ESCAPE = /^[=+\-@\t\r']/;

/**
 * A text cell as exported: prefixed with `'` when it starts with a formula character or `'`.
 *
 * @example
 * neutraliseCsvText('=HYPERLINK("http://evil","x")'); // `'=HYPERLINK("http://evil","x")`
 */
export function neutraliseCsvText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? `'${text}` : text;
}

/**
 * A text cell as imported: the inverse of neutraliseCsvText, one leading `'` removed.
 *
 * @example
 * restoreCsvText("'=1+1"); // '=1+1'
 */
export function restoreCsvText(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/**
 * Rows as CSV text (RFC 4180 quoting; null becomes an empty cell). Cells of `textColumns` are
 * neutralised (neutraliseCsvText).
 *
 * @example
 * csvText([{ id: '1', name: 'Tea, green' }], ['id', 'name'], true); // 'id,name\n1,"Tea, green"\n'
 */
export function csvText(
  rows: readonly object[],
  columns: readonly string[],
  header: boolean,
  textColumns: readonly string[] = [],
): string {
  const records = textColumns.length === 0 ? rows : rows.map((row) => neutralised(row, textColumns));
  return stringify(records as Record<string, unknown>[], { columns: [...columns], header });
}

function neutralised(row: object, textColumns: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = { ...row };
  for (const column of textColumns) {
    const value = record[column];
    if (typeof value === 'string') record[column] = neutraliseCsvText(value);
  }
  return record;
}

/** A streaming CSV writer for exports of any size: write objects in, CSV text comes out. */
export function csvStream(columns: readonly string[]): Stringifier {
  return stringifyStream({ columns: [...columns], header: true });
}
