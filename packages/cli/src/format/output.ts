import type { Page } from '@catalog/contract';
import { Option } from 'commander';
import { csvText } from './csv.js';
import { ndjsonLine, ndjsonLines } from './ndjson.js';
import { renderRecord, renderTable, type TableColumn } from './table.js';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The `--format` option: a table for people at a terminal, NDJSON for pipes. */
export function formatOption(choices: readonly OutputFormat[] = OUTPUT_FORMATS): Option {
  return new Option('--format <format>', 'output format (default: table on a terminal, else ndjson)').choices(choices);
}

/** `--format` when given, else table on a terminal and ndjson in a pipe or file. */
export function resolveFormat(given: OutputFormat | undefined, stdout: { isTTY?: boolean }): OutputFormat {
  return given ?? (stdout.isTTY ? 'table' : 'ndjson');
}

/** How one kind of record (product, user) is shown in each format. */
export interface RecordView<T> {
  /** Columns of the horizontal table of a listing (a subset of the fields, to fit a terminal). */
  tableColumns: readonly TableColumn<T>[];
  /** Every field, in order, for CSV and for the vertical table of one record. */
  columns: readonly string[];
  /** Columns of free text, neutralised in CSV against formula injection (csv.ts). */
  csvTextColumns?: readonly string[];
  /** A field's text in the vertical table. */
  show(record: T, column: string): string;
}

/** One record (`get`, `create`, `update`): pretty JSON, one NDJSON line, CSV with header, or a field table. */
export function renderOne<T extends object>(record: T, format: OutputFormat, view: RecordView<T>): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(record, null, 2)}\n`;
    case 'ndjson':
      return ndjsonLine(record);
    case 'csv':
      return csvText([record], view.columns, true, view.csvTextColumns);
    case 'table':
      return renderRecord(view.columns.filter((c) => c in record).map((c) => [c, view.show(record, c)]));
  }
}

export interface PageFooter {
  /** The exact command that fetches the page at `cursor`. */
  commandFor(cursor: string): string;
  /** Noun of the count line, singular and plural: `['product', 'products']`. */
  noun: readonly [string, string];
}

/**
 * One page of a listing. `json` prints the page object exactly as the REST API returns it; the
 * table ends with `next_cursor` and the command that fetches the next page.
 */
export function renderPage<T extends object>(
  page: Page<T>,
  format: OutputFormat,
  view: RecordView<T>,
  footer: PageFooter,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(page, null, 2)}\n`;
    case 'ndjson':
      return ndjsonLines(page.data);
    case 'csv':
      return csvText(page.data, view.columns, true, view.csvTextColumns);
    case 'table': {
      const noun = footer.noun[page.data.length === 1 ? 0 : 1];
      const lines = [`${page.data.length} ${noun}${page.has_more ? ', more after this page' : ''}`];
      if (page.total !== undefined) lines.push(`total:       ${page.total}`);
      if (page.prev_cursor) lines.push(`prev page:   ${footer.commandFor(page.prev_cursor)}`);
      if (page.next_cursor)
        lines.push(`next_cursor: ${page.next_cursor}`, `next page:   ${footer.commandFor(page.next_cursor)}`);
      return (page.data.length > 0 ? renderTable(page.data, view.tableColumns) : '') + `${lines.join('\n')}\n`;
    }
  }
}

/**
 * Where the total and the cursor go when stdout is data (ndjson, csv): to stderr, so a pipe stays
 * clean and a person still sees them.
 */
export function cursorNote(page: Page<unknown>, format: OutputFormat): string | undefined {
  if (format !== 'ndjson' && format !== 'csv') return undefined;
  const lines = [
    ...(page.total === undefined ? [] : [`total: ${page.total}`]),
    ...(page.next_cursor ? [`next_cursor: ${page.next_cursor}`] : []),
  ];
  return lines.length > 0 ? lines.join('\n') : undefined;
}
