import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { csvRecords } from './csv-records.js';
import { jsonArrayRecords } from './json-array-records.js';
import { ndjsonRecords } from './ndjson-records.js';

export const IMPORT_FORMATS = ['csv', 'ndjson', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One record of an import file: its value, or why it could not be read, and where it starts. */
export interface RawRecord {
  line: number;
  value?: unknown;
  /** Set when the record itself is unreadable (bad JSON, wrong CSV cell count). */
  error?: string;
}

const BY_EXTENSION: Record<string, ImportFormat> = {
  '.csv': 'csv',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'json',
};

/**
 * The format of `path`: by its extension, else by its first non-blank character (`[` JSON array,
 * `{` NDJSON, anything else CSV).
 *
 * @example
 * await detectFormat('products.csv'); // 'csv'
 */
export async function detectFormat(path: string): Promise<ImportFormat> {
  const byExtension = BY_EXTENSION[extname(path).toLowerCase()];
  if (byExtension) return byExtension;
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(4096), 0, 4096, 0);
    const first = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()[0];
    return first === '[' ? 'json' : first === '{' ? 'ndjson' : 'csv';
  } finally {
    await file.close();
  }
}

/** A streamed pass over an import file, and how far into the file it has read (for progress). */
export interface RecordPass {
  /** The records in file order, in groups as the reader finds them (one await per group, not per record). */
  records: AsyncIterable<RawRecord[]>;
  bytesRead(): number;
}

/** Reads the records of `path` as `format`, streamed. */
export function readRecords(path: string, format: ImportFormat): RecordPass {
  const input = createReadStream(path);
  const records =
    format === 'csv' ? csvRecords(input) : format === 'ndjson' ? ndjsonRecords(input) : jsonArrayRecords(input);
  return { records, bytesRead: () => input.bytesRead };
}
