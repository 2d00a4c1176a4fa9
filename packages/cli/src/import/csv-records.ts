import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { CommandFailed } from '../errors.js';
import { csvFieldsReader, csvRowToInput, IDENTITY_FIELDS, INPUT_COLUMNS, REQUIRED_COLUMNS } from './product-row.js';
import type { RawRecord } from './records.js';
import { PlainCsvSplitter } from './plain-csv.js';

function checkHeader(header: string[]): string[] {
  const columns = header.map((h) => h.trim());
  const known = new Set<string>([...INPUT_COLUMNS, ...IDENTITY_FIELDS]);
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

/**
 * Records of a CSV file with a header row, streamed, in groups (one per chunk of the file, so
 * the consumer pays one asynchronous step per group, not per record). A malformed record (wrong
 * cell count) is reported with its line and the rest of the file is still read.
 *
 * Well-formed files (the exporter's, and any RFC 4180 file with one line ending throughout) are
 * split by PlainCsvSplitter, several times faster than csv-parse with line numbers. From the
 * first thing it does not handle (a malformed quote, mixed line endings), the rest of the file
 * goes through csv-parse, whose rules and messages are the reference.
 *
 * @throws {CommandFailed} when the header lacks a required column or has an unknown one, or the
 * file is not CSV at all (e.g. a quote never closed).
 */
export async function* csvRecords(input: Readable): AsyncGenerator<RawRecord[]> {
  input.setEncoding('utf8');
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<string>;
  const splitter = new PlainCsvSplitter();
  let columns: string[] | undefined;
  let toInput: ((fields: string[]) => Record<string, unknown>) | undefined;
  for (;;) {
    const next = await chunks.next();
    const final = next.done === true;
    const split = splitter.push(final ? '' : next.value, final);
    const batch: RawRecord[] = [];
    for (let i = 0; i < split.records.length; i++) {
      const fields = split.records[i]!;
      const line = split.lines[i]!;
      if (columns === undefined) {
        columns = checkHeader(fields);
        toInput = csvFieldsReader(columns);
      } else if (fields.length !== columns.length) {
        batch.push({ line, error: `Invalid Record Length: columns length is ${columns.length}, got ${fields.length}` });
      } else {
        batch.push({ line, value: toInput!(fields) });
      }
    }
    if (batch.length > 0) yield batch;
    if (split.rest !== undefined) {
      yield* csvParseRecords(Readable.from(remaining(split.rest.text, chunks)), split.rest.line, columns);
      return;
    }
    if (final) return;
  }
}

async function* remaining(first: string, chunks: AsyncIterator<string>): AsyncGenerator<string> {
  if (first !== '') yield first;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    yield next.value;
  }
}

/** The first line of a record: csv-parse counts to its last line, and a quoted cell may span several. */
function startLine(lastLine: number, raw: string): number {
  const newlines = raw.replace(/\r?\n$/, '').split('\n').length - 1;
  return lastLine - newlines;
}

/**
 * Records of CSV text through csv-parse. `firstLine` is the line of the file the text starts on;
 * `columns` the header already read, if any (else the text starts with the header).
 */
async function* csvParseRecords(
  input: Readable,
  firstLine: number,
  columns: string[] | undefined,
): AsyncGenerator<RawRecord[]> {
  const offset = firstLine - 1;
  const fileLine = (line: number) => line + offset;
  const inMessage = (message: string) =>
    message
      .replace(/ on line \d+$/, '')
      .replace(/ at line (\d+)/g, (_, n: string) => ` at line ${fileLine(Number(n))}`);
  const skipped: RawRecord[] = [];
  const parser = input.pipe(
    parse({
      bom: true,
      columns: columns ?? checkHeader,
      info: true,
      raw: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined) => {
        if (error) skipped.push({ line: fileLine(Number(error.lines ?? 0)), error: inMessage(error.message) });
        return undefined;
      },
    }),
  );
  input.on('error', (error) => parser.destroy(error));
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
      raw: string;
    }>) {
      const line = fileLine(startLine(info.lines, raw));
      const batch: RawRecord[] = [];
      // The parser reads ahead: a skipped record may be reported before earlier good ones come out.
      while (skipped.length > 0 && skipped[0]!.line < line) batch.push(skipped.shift()!);
      batch.push({ line, value: csvRowToInput(record) });
      yield batch;
    }
  } catch (error) {
    if (error instanceof CommandFailed) throw error;
    const csvError = error as CsvError;
    throw new CommandFailed(
      csvError.lines === undefined
        ? csvError.message
        : `line ${fileLine(Number(csvError.lines))}: ${inMessage(csvError.message)}`,
    );
  }
  if (skipped.length > 0) yield skipped;
}
