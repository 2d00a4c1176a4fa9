import type { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { CommandFailed } from '../errors.js';
import { csvRowToInput, INPUT_COLUMNS, OUTPUT_ONLY_FIELDS, REQUIRED_COLUMNS } from './product-row.js';
import type { RawRecord } from './records.js';

function checkHeader(header: string[]): string[] {
  const columns = header.map((h) => h.trim());
  const known = new Set<string>([...INPUT_COLUMNS, ...OUTPUT_ONLY_FIELDS]);
  const unknown = columns.filter((c) => !known.has(c));
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    const problems = [
      ...(missing.length ? [`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`] : []),
      ...(unknown.length ? [`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`] : []),
    ];
    throw new CommandFailed(`line 1: CSV header: ${problems.join('; ')} (expected ${INPUT_COLUMNS.join(', ')})`);
  }
  return columns;
}

/** The first line of a record: csv-parse counts to its last line, and a quoted cell may span several. */
function startLine(lastLine: number, raw: string): number {
  const newlines = raw.replace(/\r?\n$/, '').split('\n').length - 1;
  return lastLine - newlines;
}

/**
 * Records of a CSV file with a header row, streamed. A malformed record (wrong cell count) is
 * reported with its line and the rest of the file is still read.
 *
 * @throws {CommandFailed} when the header lacks a required column or has an unknown one, or the
 * file is not CSV at all (e.g. a quote never closed).
 */
export async function* csvRecords(input: Readable): AsyncGenerator<RawRecord> {
  const skipped: RawRecord[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      columns: checkHeader,
      info: true,
      raw: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        if (error) skipped.push({ line: Number(error.lines ?? 0), error: error.message.replace(/ on line \d+$/, '') });
        return undefined;
      },
    }),
  );
  input.on('error', (error) => parser.destroy(error));
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number }; raw: string }>) {
      const line = startLine(info.lines, raw);
      // The parser reads ahead: a skipped record may be reported before earlier good ones come out.
      while (skipped.length > 0 && skipped[0]!.line < line) yield skipped.shift()!;
      yield { line, value: csvRowToInput(record) };
    }
  } catch (error) {
    if (error instanceof CommandFailed) throw error;
    const csvError = error as CsvError;
    throw new CommandFailed(csvError.lines === undefined ? csvError.message : `line ${csvError.lines}: ${csvError.message.replace(/ on line \d+$/, '')}`);
  }
  yield* skipped;
}
