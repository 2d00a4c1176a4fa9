import { PRODUCT_IDENTITY_SHAPE, ProductImportSchema, type ProductImportParsed } from '@catalog/contract';
import { numberFlag } from '../commands/product-fields.js';
import { restoreCsvText } from '../format/csv.js';

/** Fields of an exported product that are its identity: an import keeps them (see ProductImportSchema). */
export const IDENTITY_FIELDS = new Set(Object.keys(PRODUCT_IDENTITY_SHAPE));
/** Columns a CSV file may have that become product fields. */
export const INPUT_COLUMNS = ['name', 'category', 'price', 'rating', 'sku'] as const;
export const REQUIRED_COLUMNS = ['name', 'category', 'price'] as const;

export type RowCheck = { ok: true; input: ProductImportParsed } | { ok: false; problems: string[] };

/** How a CSV cell becomes a field (all cells are strings). */
type CellReader = (cell: string, input: Record<string, unknown>, column: string) => void;

/** Text (name, category): as exported, the CSV-injection escape undone. */
const text: CellReader = (cell, input, column) => {
  input[column] = restoreCsvText(cell);
};
/** sku: empty = none. */
const optionalText: CellReader = (cell, input, column) => {
  input[column] = cell === '' ? null : restoreCsvText(cell);
};
/** price: empty = missing (the schema says it is required). */
const price: CellReader = (cell, input, column) => {
  if (cell.trim() !== '') input[column] = numberFlag(cell);
};
/** rating: empty = not rated. */
const rating: CellReader = (cell, input, column) => {
  input[column] = cell.trim() === '' ? null : numberFlag(cell);
};
/** id, created_at, updated_at: empty = not given (a new product's identity). */
const identity: CellReader = (cell, input, column) => {
  if (cell !== '') input[column] = cell;
};
/** version: empty = not given. */
const version: CellReader = (cell, input, column) => {
  if (cell.trim() !== '') input[column] = numberFlag(cell);
};
/** deleted_at: empty = live. */
const deletedAt: CellReader = (cell, input, column) => {
  input[column] = cell === '' ? null : cell;
};

const READERS: Record<string, CellReader> = {
  name: text,
  category: text,
  price,
  rating,
  sku: optionalText,
  id: identity,
  created_at: identity,
  updated_at: identity,
  version,
  deleted_at: deletedAt,
};

/**
 * A reader for CSV records with the header `columns`: from one record's cells (in header order) to
 * the import input they mean. Numbers parsed, an empty rating = not rated, an empty sku = none,
 * empty identity cells = not given, an empty deleted_at = live; text cells lose the `'` the export
 * put before them (format/csv.ts).
 */
export function csvFieldsReader(columns: readonly string[]): (fields: readonly string[]) => Record<string, unknown> {
  const readers = columns.map((column) => READERS[column] ?? text);
  return (fields) => {
    const input: Record<string, unknown> = {};
    for (let i = 0; i < readers.length; i++) readers[i]!(fields[i]!, input, columns[i]!);
    return input;
  };
}

/** csvFieldsReader for one record as an object keyed by column. */
export function csvRowToInput(record: Record<string, string>): Record<string, unknown> {
  return csvFieldsReader(Object.keys(record))(Object.values(record));
}

/**
 * Validates one row with the contract's `ProductImportSchema`, the same rules as the library's
 * importMany. Problems read `line N: field: message`, one per bad field.
 *
 * @example
 * checkRow(3, { name: 'Tea', category: 'drinks', price: -1 });
 * // { ok: false, problems: ['line 3: price: must be at least 0'] }
 */
export function checkRow(line: number, input: unknown): RowCheck {
  const result = ProductImportSchema.safeParse(input);
  if (result.success) return { ok: true, input: result.data };
  return {
    ok: false,
    problems: result.error.issues.map(
      (issue) => `line ${line}: ${issue.path.map(String).join('.') || '(row)'}: ${issue.message}`,
    ),
  };
}
