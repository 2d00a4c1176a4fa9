import type { ProductInputParsed } from '@catalog/contract';
import type { CallOptions, Catalog } from '@catalog/core';
import type { Io } from '../io.js';
import { startProgress } from './progress.js';
import { checkRow } from './product-row.js';
import { readRecords, type ImportFormat } from './records.js';

export interface ImportOptions {
  path: string;
  format: ImportFormat;
  /** Bytes in the file, for the progress of the validation pass. */
  size: number;
  /**
   * Rows per transaction; undefined = all valid rows in one transaction (the default), so an
   * import that fails or is killed part-way leaves none of its rows behind.
   */
  batchSize?: number;
  /** How many problem lines to print before only counting them. */
  maxErrors: number;
}

export interface ValidationReport {
  rows: number;
  invalid: number;
}

/**
 * Pass 1: reads the whole file and validates every row, printing up to `maxErrors` problems as
 * `line N: field: message` on stderr. Nothing is written to the database.
 */
export async function validateFile(io: Io, options: ImportOptions): Promise<ValidationReport> {
  const pass = readRecords(options.path, options.format);
  const bar = startProgress(io, 'validating', options.size, 'bytes');
  let rows = 0;
  let invalid = 0;
  let printed = 0;
  try {
    for await (const record of pass.records) {
      rows++;
      const problems = record.error !== undefined ? [`line ${record.line}: (row): ${record.error}`] : rowProblems(record.line, record.value);
      if (problems.length > 0) {
        invalid++;
        for (const problem of problems) if (printed++ < options.maxErrors) io.stderr.write(`${problem}\n`);
      }
      if (rows % 1000 === 0) bar.update(pass.bytesRead());
    }
  } finally {
    bar.stop();
  }
  if (printed > options.maxErrors) io.stderr.write(`… and ${printed - options.maxErrors} more problems\n`);
  return { rows, invalid };
}

function rowProblems(line: number, value: unknown): string[] {
  const check = checkRow(line, value);
  return check.ok ? [] : check.problems;
}

/**
 * Pass 2: reads the file again and inserts its valid rows with `products.createMany`: all in one
 * transaction by default (all or nothing, even under SIGKILL: the database rolls an unfinished
 * transaction back), else one transaction per `batchSize` rows. Returns how many were inserted.
 */
export async function insertFile(io: Io, catalog: Catalog, admin: CallOptions, options: ImportOptions, validRows: number): Promise<number> {
  const pass = readRecords(options.path, options.format);
  const bar = startProgress(io, 'importing', validRows, 'rows');
  let batch: ProductInputParsed[] = [];
  let inserted = 0;
  const flush = async () => {
    inserted += await catalog.products.createMany(batch, admin);
    batch = [];
    bar.update(inserted);
  };
  try {
    for await (const record of pass.records) {
      if (record.error !== undefined) continue;
      const check = checkRow(record.line, record.value);
      if (!check.ok) continue;
      batch.push(check.input);
      if (options.batchSize !== undefined && batch.length >= options.batchSize) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    bar.stop();
  }
  return inserted;
}
