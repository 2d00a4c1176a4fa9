import type { Writable } from 'node:stream';
import { write } from '../io.js';
import { csvText } from './csv.js';
import { heapCeiling } from './heap-ceiling.js';
import { ndjsonLine } from './ndjson.js';
import type { OutputFormat, RecordView } from './output.js';
import { renderTable } from './table.js';

/** Rows are formatted and written in chunks: constant memory, few syscalls. */
const CHUNK = 200;

/**
 * Writes every record of `records` to `out` in `format`, holding at most one chunk in memory (and
 * keeping the heap at its starting size, see heap-ceiling.ts), and returns how many were written.
 * JSON becomes one array; a table is printed in chunks.
 *
 * @example
 * const count = await writeAll(catalog.products.iterate({}), 'ndjson', productView(), process.stdout);
 */
export async function writeAll<T extends object>(
  records: AsyncIterable<T>,
  format: OutputFormat,
  view: RecordView<T>,
  out: Writable,
): Promise<number> {
  let count = 0;
  let chunk: T[] = [];
  const ceiling = heapCeiling();
  const flush = async () => {
    await write(out, formatChunk(chunk, format, view, count === chunk.length));
    chunk = [];
    ceiling.check();
  };
  if (format === 'json') await write(out, '[');
  for await (const record of records) {
    chunk.push(record);
    count++;
    if (chunk.length === CHUNK) await flush();
  }
  // An empty CSV export still gets its header row, so it can be imported (as nothing).
  if (chunk.length > 0 || (format === 'csv' && count === 0)) await flush();
  if (format === 'json') await write(out, count === 0 ? ']\n' : '\n]\n');
  return count;
}

function formatChunk<T extends object>(rows: T[], format: OutputFormat, view: RecordView<T>, first: boolean): string {
  switch (format) {
    case 'ndjson':
      return rows.map(ndjsonLine).join('');
    case 'csv':
      return csvText(rows, view.columns, first, view.csvTextColumns);
    case 'json':
      return (first ? '\n' : ',\n') + rows.map((r) => JSON.stringify(r)).join(',\n');
    case 'table':
      return renderTable(rows, view.tableColumns);
  }
}
