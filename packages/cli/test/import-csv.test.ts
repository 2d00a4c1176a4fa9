import { Readable } from 'node:stream';
import test from 'ava';
import { parse } from 'csv-parse/sync';
import { csvRecords } from '../src/import/csv-records.js';
import type { RawRecord } from '../src/import/records.js';

/** csvRecords over `text` cut into `size`-character chunks (the cuts land anywhere: in quotes, between \r and \n). */
async function read(text: string, size: number): Promise<RawRecord[]> {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  const records: RawRecord[] = [];
  for await (const batch of csvRecords(Readable.from(chunks.length > 0 ? chunks : ['']))) records.push(...batch);
  return records;
}

/** What csv-parse alone makes of a well-formed file: each record's cells as input, and its first line. */
function reference(text: string): RawRecord[] {
  const rows = parse(text, { bom: true, columns: true, info: true, raw: true, skip_empty_lines: true }) as {
    record: Record<string, string>;
    info: { lines: number };
    raw: string;
  }[];
  return rows.map(({ record, info, raw }) => {
    const value: Record<string, unknown> = {};
    for (const [column, cell] of Object.entries(record)) {
      if (column === 'price') value.price = Number(cell);
      else if (column === 'rating') value.rating = cell === '' ? null : Number(cell);
      else value[column] = cell;
    }
    // raw starts with the empty lines skipped before the record.
    return {
      line:
        info.lines -
        (raw
          .replace(/^[\r\n]+/, '')
          .replace(/\r?\n$/, '')
          .split('\n').length -
          1),
      value,
    };
  });
}

const SIZES = [1, 2, 3, 5, 8, 13, 64, 1 << 20];

const WELL_FORMED: Record<string, string> = {
  plain: 'name,category,price,rating\nTea,drinks,3.5,4.2\nCake,food,2,\n',
  'no final newline': 'name,category,price,rating\nTea,drinks,3.5,4.2\nCake,food,2,',
  'CRLF line endings': 'name,category,price,rating\r\nTea,drinks,3.5,4.2\r\n\r\nCake,food,2,\r\n',
  'byte order mark and empty lines': '\uFEFFname,category,price\n\n\nTea,drinks,3.5\n\nCake,food,2\n\n',
  'quoted cells: commas, doubled quotes, line breaks':
    'id,name,category,price,rating\nx,"Tea, green","a ""b"" c",3.5,1\ny,"Multi\nline\nname",food,10,\nz,"",e,0,""\n',
  'quoted cells with CRLF': 'name,category,price\r\n"a,b","c ""d""",1\r\n"x",y,2',
  'quoted header': '"name","category","price"\n"Tea","drinks","1"\n',
};

for (const [name, text] of Object.entries(WELL_FORMED)) {
  test(`CSV reader: ${name} reads as csv-parse reads it, however the file is cut into chunks`, async (t) => {
    const expected = reference(text);
    for (const size of SIZES) t.deepEqual(await read(text, size), expected, `chunks of ${size}`);
  });
}

test('CSV reader: a record with the wrong cell count is reported with its line, and reading goes on', async (t) => {
  const text = 'name,category,price\nTea,drinks,1\nshort,row\nCake,food,2\n';
  for (const size of SIZES) {
    t.deepEqual(
      await read(text, size),
      [
        { line: 2, value: { name: 'Tea', category: 'drinks', price: 1 } },
        { line: 3, error: 'Invalid Record Length: columns length is 3, got 2' },
        { line: 4, value: { name: 'Cake', category: 'food', price: 2 } },
      ],
      `chunks of ${size}`,
    );
  }
});

test('CSV reader: from a malformed quote on, csv-parse reads the rest (its messages, the lines of the file)', async (t) => {
  const text = 'name,category,price\nTea,drinks,1\nbad "quote",x,1\n"closed" late,x,1\nCake,food,2\n';
  for (const size of SIZES) {
    t.deepEqual(
      await read(text, size),
      [
        { line: 2, value: { name: 'Tea', category: 'drinks', price: 1 } },
        { line: 3, error: 'Invalid Opening Quote: a quote is found on field "name" at line 3, value is "bad "' },
        {
          line: 3,
          error: 'Invalid Opening Quote: a quote is found on field "name" at line 3, value is "bad \\"quote"',
        },
        {
          line: 4,
          error:
            'Invalid Closing Quote: got " " at line 4 instead of delimiter, record delimiter, trimable character (if activated) or comment',
        },
        // csv-parse stays in the quote it thinks is open to the end of the file.
        { line: 5, error: 'Quote Not Closed: the parsing is finished with an opening quote at line 5' },
      ],
      `chunks of ${size}`,
    );
  }
});

test('CSV reader: mixed line endings go to csv-parse, which counts lines the same way', async (t) => {
  const text = 'name,category,price\r\nTea,drinks,1\r\nCake,food,2\nPie,food,3\r\n';
  const expected = await read(text, 1 << 20);
  for (const size of SIZES) t.deepEqual(await read(text, size), expected, `chunks of ${size}`);
  t.deepEqual(expected[0], { line: 2, value: { name: 'Tea', category: 'drinks', price: 1 } });
});

test('CSV reader: an unknown or missing header column fails on line 1', async (t) => {
  await t.throwsAsync(read('name,colour\nTea,red\n', 3), {
    message: /^line 1: CSV header: missing columns category, price; unknown column colour/,
  });
});
