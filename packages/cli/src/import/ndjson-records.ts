import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { RawRecord } from './records.js';

/** One record per non-blank line of an NDJSON file, streamed; a line that is not JSON is reported, not fatal. */
export async function* ndjsonRecords(input: Readable): AsyncGenerator<RawRecord[]> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield [{ line, value: JSON.parse(text) as unknown }];
    } catch (error) {
      yield [{ line, error: `not valid JSON (${(error as Error).message})` }];
    }
  }
}
