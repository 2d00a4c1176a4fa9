/*
 * The SQLite driver comparison of bench/README.md: one node:http server answering the same reads
 * on node-sqlite3 (asynchronous, libuv thread pool; two connections, as core's read connections)
 * or better-sqlite3 (synchronous), each with prepared statements. better-sqlite3 is not a Catalog
 * dependency: install it beside the checkout first (bench/drivers/compare.sh says how).
 *   DRIVER=sqlite3|better DB=bench/results/sqlite-1000000.db PORT=18090 \
 *     node --import tsx bench/drivers/driver-server.ts
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import sqlite3 from 'sqlite3';
const path = process.env.DB!;
const driver = process.env.DRIVER ?? 'sqlite3';
const SQL = {
  first: 'select * from products where deleted_at is null order by created_at desc, id desc limit 21',
  search: `select * from products where +deleted_at is null and name_folded like ? escape '\\' and rowid in (select rowid from products_search where products_search match ?) order by created_at desc, id desc limit 21`,
  offset: 'select * from products where deleted_at is null order by created_at desc, id desc limit 21 offset 200000',
};
type Run = (name: keyof typeof SQL, params: unknown[]) => Promise<unknown[]>;
let run: Run;
if (driver === 'better') {
  const Better = createRequire(process.env.BETTER_SQLITE3_DIR ?? '/tmp/bs/')('better-sqlite3');
  const db = new Better(path, { readonly: true });
  const stmts = Object.fromEntries(Object.entries(SQL).map(([k, v]) => [k, db.prepare(v)]));
  run = async (name, params) => stmts[name].all(...params);
} else {
  const dbs = [new sqlite3.Database(path, sqlite3.OPEN_READONLY), new sqlite3.Database(path, sqlite3.OPEN_READONLY)];
  const stmts = dbs.map((db) => Object.fromEntries(Object.entries(SQL).map(([k, v]) => [k, db.prepare(v)])));
  let i = 0;
  run = (name, params) =>
    new Promise((res, rej) =>
      stmts[(i = (i + 1) % 2)]![name]!.all(params, (e: Error | null, rows: unknown[]) => (e ? rej(e) : res(rows))),
    );
}
createServer(async (req, res) => {
  const name = (req.url ?? '/first').slice(1).split('?')[0] as keyof typeof SQL;
  const params = name === 'search' ? ['%rustic oak teapot%', '"eap" "k t" "c o" "rus"'] : [];
  const rows = await run(name in SQL ? name : 'first', params);
  const body = JSON.stringify(rows);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}).listen(Number(process.env.PORT ?? 18090), '127.0.0.1');
