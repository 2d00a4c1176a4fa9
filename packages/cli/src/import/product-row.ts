import { ProductInputSchema, type ProductInputParsed } from '@catalog/contract';
import { numberFlag } from '../commands/product-fields.js';

/** Fields of an exported product that an import ignores, so exports import back unchanged. */
export const OUTPUT_ONLY_FIELDS = new Set(['id', 'version', 'created_at', 'updated_at', 'deleted_at']);
/** Columns a CSV file may have that become product fields. */
export const INPUT_COLUMNS = ['name', 'category', 'price', 'rating', 'sku'] as const;
export const REQUIRED_COLUMNS = ['name', 'category', 'price'] as const;

export type RowCheck = { ok: true; input: ProductInputParsed } | { ok: false; problems: string[] };

/** A CSV record (all strings) as product input: numbers parsed, an empty rating = not rated, an empty sku = none. */
export function csvRowToInput(record: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [column, cell] of Object.entries(record)) {
    if (OUTPUT_ONLY_FIELDS.has(column)) continue;
    if (column === 'price') {
      if (cell.trim() !== '') input.price = numberFlag(cell);
    } else if (column === 'rating') input.rating = cell.trim() === '' ? null : numberFlag(cell);
    else if (column === 'sku') input.sku = cell === '' ? null : cell;
    else input[column] = cell;
  }
  return input;
}

/**
 * csvRowToInput for cells in header order: returns a function from one record's cells to the
 * same input csvRowToInput gives for that record as an object (the header's columns decided once).
 */
export function csvFieldsReader(columns: readonly string[]): (fields: readonly string[]) => Record<string, unknown> {
  const kinds = columns.map((column) =>
    OUTPUT_ONLY_FIELDS.has(column)
      ? SKIP
      : column === 'price'
        ? PRICE
        : column === 'rating'
          ? RATING
          : column === 'sku'
            ? OPTIONAL_TEXT
            : TEXT,
  );
  return (fields) => {
    const input: Record<string, unknown> = {};
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i];
      if (kind === SKIP) continue;
      const cell = fields[i]!;
      if (kind === TEXT) input[columns[i]!] = cell;
      else if (kind === OPTIONAL_TEXT) input[columns[i]!] = cell === '' ? null : cell;
      else if (kind === PRICE) {
        if (cell.trim() !== '') input.price = numberFlag(cell);
      } else input.rating = cell.trim() === '' ? null : numberFlag(cell);
    }
    return input;
  };
}
const SKIP = 0;
const TEXT = 1;
const PRICE = 2;
const RATING = 3;
const OPTIONAL_TEXT = 4;

/** A JSON record (NDJSON line, array element) as product input: output-only fields dropped. */
export function jsonRowToInput(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !OUTPUT_ONLY_FIELDS.has(key)));
}

/**
 * Validates one row with the contract's `ProductInputSchema`, the same rules as the API.
 * Problems read `line N: field: message`, one per bad field.
 *
 * @example
 * checkRow(3, { name: 'Tea', category: 'drinks', price: -1 });
 * // { ok: false, problems: ['line 3: price: must be at least 0'] }
 */
export function checkRow(line: number, input: unknown): RowCheck {
  const result = ProductInputSchema.safeParse(input);
  if (result.success) return { ok: true, input: result.data };
  return {
    ok: false,
    problems: result.error.issues.map(
      (issue) => `line ${line}: ${issue.path.map(String).join('.') || '(row)'}: ${issue.message}`,
    ),
  };
}
