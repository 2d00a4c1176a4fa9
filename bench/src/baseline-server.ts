/*
 * The minimal baseline: node:http, one prepared raw SQL statement per route, JSON.stringify — the
 * same query and page shape as GET /products, without the framework, the ORM or authentication.
 * It measures what this stack (Node + the database driver) can do at best; also the OFFSET deep
 * page for contrast, and name search as a plain ordered scan (`/products?search=…`): the folded
 * name tested with LIKE while walking the order's index, stopping at the page, with no index of
 * names at all. Run by the benchmark as a child process:
 *   BASELINE_DB=sqlite:… BASELINE_PORT=… node --import tsx bench/src/baseline-server.ts
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
// The same folding and LIKE escaping as the catalog's search, so both match the same names.
import { escapeLike } from '../../packages/core/src/products/product-query.js';
import { fold } from '../../packages/core/src/db/product-table.js';
import { openRaw } from './raw-db.js';

const LIMIT = 20;
const COLUMNS = 'id, name, category, price_cents, rating_tenths, created_at, updated_at';
const db = await openRaw(process.env.BASELINE_DB!);
const first = db.prepare(
  `select ${COLUMNS} from products where deleted_at is null order by created_at desc, id desc limit ?`,
);
const after = db.prepare(
  `select ${COLUMNS} from products where deleted_at is null and (created_at, id) < (?, ?) order by created_at desc, id desc limit ?`,
);
const offset = db.prepare(
  `select ${COLUMNS} from products where deleted_at is null order by created_at desc, id desc limit ? offset ?`,
);
const search = db.prepare(
  `select ${COLUMNS} from products where deleted_at is null and name_folded like ? escape '\\' ` +
    'order by created_at desc, id desc limit ?',
);
const key = createHmac('sha256', 'baseline').update('cursor').digest();

const iso = (value: unknown) => (value instanceof Date ? value : new Date(Number(value))).toISOString();
const toDate = (ms: number) => (db.kind === 'sqlite' ? ms : new Date(ms).toISOString());

function cursor(row: Record<string, unknown>): string {
  const json = Buffer.from(JSON.stringify({ k: [new Date(iso(row.created_at)).getTime(), row.id] }));
  return Buffer.concat([createHmac('sha256', key).update(json).digest(), json]).toString('base64url');
}

function page(rows: Record<string, unknown>[], deep: boolean): string {
  const more = rows.length > LIMIT;
  const data = rows.slice(0, LIMIT).map((row) => ({
    id: row.id,
    name: row.name,
    category: row.category,
    price: Number(row.price_cents) / 100,
    rating: row.rating_tenths === null ? null : Number(row.rating_tenths) / 10,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }));
  return JSON.stringify({
    data,
    next_cursor: more ? cursor(rows[LIMIT - 1]!) : null,
    prev_cursor: deep && rows[0] ? cursor(rows[0]) : null,
    has_more: more,
  });
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://baseline');
  const k = url.searchParams.get('k');
  const id = url.searchParams.get('id');
  const skip = url.searchParams.get('offset');
  const term = url.searchParams.get('search')?.trim();
  const read =
    url.pathname === '/offset' && skip !== null
      ? offset.all([LIMIT + 1, Number(skip)]).then((rows) => page(rows, true))
      : term
        ? search.all([`%${escapeLike(fold(term))}%`, LIMIT + 1]).then((rows) => page(rows, false))
        : k !== null && id !== null
          ? after.all([toDate(Number(k)), id, LIMIT + 1]).then((rows) => page(rows, true))
          : first.all([LIMIT + 1]).then((rows) => page(rows, false));
  read.then(
    (body) => {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
    },
    (error: unknown) => {
      response.writeHead(500).end(String(error));
    },
  );
});
server.listen(Number(process.env.BASELINE_PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void db.close().then(() => process.exit(0));
});
