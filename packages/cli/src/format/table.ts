import Table from 'cli-table3';

/** A column of a table: which field, its title, and how a value is shown. */
export interface TableColumn<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

// No colours: tables are also read from logs and CI output, where escape codes are noise.
const STYLE = { head: [] as string[], border: [] as string[] };

/**
 * A horizontal table of rows for people reading a terminal.
 *
 * @example
 * renderTable([{ id: '1' }], [{ header: 'id', value: (r) => r.id }]);
 */
export function renderTable<T>(rows: readonly T[], columns: readonly TableColumn<T>[]): string {
  const table = new Table({
    head: columns.map((c) => c.header),
    colAligns: columns.map((c) => c.align ?? 'left'),
    // No rule between rows: a listing reads like `ls -l`, not a spreadsheet.
    style: { ...STYLE, compact: true },
  });
  for (const row of rows) table.push(columns.map((c) => c.value(row)));
  return `${table.toString()}\n`;
}

/** A two-column `field | value` table for one record (a product, a user, the dashboard). */
export function renderRecord(entries: readonly [string, string][]): string {
  const table = new Table({ style: STYLE });
  for (const [key, value] of entries) table.push({ [key]: value });
  return `${table.toString()}\n`;
}

/** Prices always with 2 decimals in tables; JSON/CSV keep the plain number. */
export function showPrice(price: number): string {
  return price.toFixed(2);
}

export function showRating(rating: number | null): string {
  return rating === null ? '-' : rating.toFixed(1);
}

export function showNullable(value: string | null | undefined): string {
  return value ?? '-';
}
