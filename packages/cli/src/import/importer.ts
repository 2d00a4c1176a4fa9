import type { CallOptions, Catalog, ConflictError } from '@catalog/core';
import { CommandFailed } from '../errors.js';
import type { Io } from '../io.js';
import { startProgress } from './progress.js';
import { checkRow } from './product-row.js';
import { readRecords, type ImportFormat, type RawRecord } from './records.js';

export interface ImportOptions {
  path: string;
  format: ImportFormat;
  /** Bytes in the file, for the progress bar. */
  size: number;
  /**
   * Rows per transaction; undefined = all valid rows in one transaction (the default), so an
   * import that fails or is killed part-way leaves none of its rows behind.
   */
  batchSize?: number;
  /** Import the valid rows and report the invalid ones, instead of importing nothing. */
  skipInvalid: boolean;
  /** How many problem lines to print before only counting them. */
  maxErrors: number;
  /** What to do with a row whose id is present already. */
  onConflict: 'error' | 'skip' | 'update';
}

export interface ImportReport {
  rows: number;
  invalid: number;
  inserted: number;
  /** Rows left out because their id was present (--on-conflict skip). */
  skipped: number;
  /** Present products replaced by their row (--on-conflict update). */
  updated: number;
}

/** Prints problems as `line N: field: message`, up to `maxErrors`, then only counts them. */
class ProblemPrinter {
  private printed = 0;
  constructor(
    private readonly io: Io,
    private readonly maxErrors: number,
  ) {}

  record(record: RawRecord): void {
    const problems =
      record.error !== undefined
        ? [`line ${record.line}: (row): ${record.error}`]
        : rowProblems(record.line, record.value);
    for (const problem of problems) if (this.printed++ < this.maxErrors) this.io.stderr.write(`${problem}\n`);
  }

  end(): void {
    if (this.printed > this.maxErrors) this.io.stderr.write(`… and ${this.printed - this.maxErrors} more problems\n`);
  }
}

function rowProblems(line: number, value: unknown): string[] {
  const check = checkRow(line, value);
  return check.ok ? [] : check.problems;
}

function rejection(rows: number, invalid: number): CommandFailed {
  const valid = rows - invalid;
  return new CommandFailed(
    `${invalid} of ${rows} rows are invalid; nothing was imported (fix them, or pass --skip-invalid to import the ${valid} valid row${valid === 1 ? '' : 's'})`,
  );
}

/**
 * Imports the file: one streamed pass into `products.importMany`, which validates each row as it
 * comes and writes all of them in one transaction (or one per `batchSize` rows with
 * --skip-invalid). A bad row is printed with its line; without --skip-invalid it rolls the
 * transaction back, the rest of the file is still checked, and nothing is written.
 *
 * Batches without --skip-invalid must not commit anything when a later row is bad, so that case
 * checks the whole file first (validateFile) and only then imports it.
 *
 * @throws {CommandFailed} when rows are invalid and --skip-invalid is not set.
 */
export async function importFile(
  io: Io,
  catalog: Catalog,
  admin: CallOptions,
  options: ImportOptions,
): Promise<ImportReport> {
  if (options.batchSize !== undefined && !options.skipInvalid) {
    const checked = await validateFile(io, options);
    if (checked.invalid > 0) throw rejection(checked.rows, checked.invalid);
  }
  const pass = readRecords(options.path, options.format);
  const problems = new ProblemPrinter(io, options.maxErrors);
  const bar = startProgress(io, 'importing', options.size, 'bytes');
  const inputs = new RecordInputs(pass.records[Symbol.asyncIterator](), () => bar.update(pass.bytesRead()));
  let invalid = 0;
  try {
    const result = await catalog.products.importMany(inputs, {
      ...admin,
      skipInvalid: options.skipInvalid,
      onConflict: options.onConflict,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      // Called before the next record is read, so `current` is the bad one.
      onInvalid: () => {
        invalid++;
        problems.record(inputs.current!);
      },
    });
    problems.end();
    return {
      rows: inputs.rows,
      invalid,
      inserted: result.created,
      skipped: result.skipped,
      updated: result.updated,
    };
  } catch (error) {
    problems.end();
    // The core read and checked every row after the rollback, so the counts are complete.
    if (invalid > 0 && !options.skipInvalid && (error as { code?: unknown }).code === 'validation_failed')
      throw rejection(inputs.rows, invalid);
    if ((error as ConflictError).code === 'conflict' && (error as ConflictError).errors)
      throw idsPresent(error as ConflictError, inputs, options.batchSize);
    throw error;
  } finally {
    bar.stop();
  }
}

/**
 * The error of an import whose rows have ids present already, naming them by line. The core
 * checks the ids of a few hundred rows at a time, right after reading them, so their lines are
 * among the last RECENT_LINES the inputs handed over.
 */
function idsPresent(error: ConflictError, inputs: RecordInputs, batchSize: number | undefined): CommandFailed {
  const taken = error.errors!.map(({ path, message }) => {
    const index = Number(path.split('.')[0]);
    const line = inputs.lineOf(index);
    return `${line === undefined ? `row ${index + 1}` : `line ${line}`} (id ${message.replace(/^already present: /, '')})`;
  });
  const more = taken.length > 5 ? ` and ${taken.length - 5} more` : '';
  const kept = batchSize === undefined ? 'nothing was imported' : 'the batches before it were imported';
  return new CommandFailed(
    `${taken.length === 1 ? 'a row has an id' : `${taken.length} rows have ids`} already in the database: ${taken.slice(0, 5).join(', ')}${more}; ${kept} (pass --on-conflict skip or update)`,
  );
}

/** How many of the latest records RecordInputs remembers the line of. */
const RECENT_LINES = 4096;

/**
 * The values of a pass's records, one at a time, for importMany. An unreadable record goes on as
 * null, which no product matches: the core counts it as invalid like any other bad row (and stops
 * writing), and onInvalid prints the reader's message. Records come in groups; one already read
 * is handed over as a resolved promise (an async generator costs several promises and
 * microtasks per item, which at a million rows is seconds).
 */
class RecordInputs implements AsyncIterableIterator<unknown> {
  /** The record last handed over. */
  current: RawRecord | undefined;
  rows = 0;
  private batch: RawRecord[] = [];
  /** The lines of the last RECENT_LINES records, by index modulo RECENT_LINES. */
  private readonly lines = new Uint32Array(RECENT_LINES);
  private at = 0;

  constructor(
    private readonly groups: AsyncIterator<RawRecord[]>,
    private readonly onGroup: () => void,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<unknown>> {
    return this.at < this.batch.length ? Promise.resolve(this.take()) : this.nextGroup();
  }

  private async nextGroup(): Promise<IteratorResult<unknown>> {
    for (;;) {
      const group = await this.groups.next();
      if (group.done) return { done: true, value: undefined };
      this.onGroup();
      this.batch = group.value;
      this.at = 0;
      if (this.batch.length > 0) return this.take();
    }
  }

  /** The line of the record at 0-based `index`, if it is among the last RECENT_LINES. */
  lineOf(index: number): number | undefined {
    return index < this.rows && index >= this.rows - RECENT_LINES ? this.lines[index % RECENT_LINES] : undefined;
  }

  private take(): IteratorResult<unknown> {
    const record = this.batch[this.at++]!;
    this.current = record;
    this.lines[this.rows % RECENT_LINES] = record.line;
    this.rows++;
    return { done: false, value: record.error === undefined ? record.value : null };
  }
}

/**
 * Reads the whole file and validates every row, printing up to `maxErrors` problems. Nothing is
 * written to the database. Used before a batched import, whose batches commit as they go.
 */
export async function validateFile(io: Io, options: ImportOptions): Promise<{ rows: number; invalid: number }> {
  const pass = readRecords(options.path, options.format);
  const problems = new ProblemPrinter(io, options.maxErrors);
  const bar = startProgress(io, 'validating', options.size, 'bytes');
  let rows = 0;
  let invalid = 0;
  try {
    for await (const batch of pass.records) {
      for (const record of batch) {
        rows++;
        if (record.error !== undefined || !checkRow(record.line, record.value).ok) {
          invalid++;
          problems.record(record);
        }
      }
      bar.update(pass.bytesRead());
    }
  } finally {
    bar.stop();
  }
  problems.end();
  return { rows, invalid };
}
