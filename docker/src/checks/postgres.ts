import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import getPort from 'get-port';
import { startContainer } from '../container.js';
import { ok } from '../report.js';
import type { Resources } from '../resources.js';
import { checkCli, createAdmin, stopWithinGrace } from './shared.js';

const run = promisify(execFile);
const SERVER = 'postgres://postgres@127.0.0.1:5432';
const ADMIN = { email: 'pg-admin@example.com', password: 'docker test password' };

/** The same image on the machine's PostgreSQL (a fresh database, dropped afterwards) instead of SQLite. */
export async function checkPostgres(runId: string, resources: Resources): Promise<void> {
  const database = `catalog_docker_${runId}`;
  const name = resources.container(`catalog-test-postgres-${runId}`);
  await psql('postgres', `create database ${database}`);
  resources.onRelease(() => psql('postgres', `drop database if exists ${database} with (force)`));
  const port = await getPort({ host: '127.0.0.1' });
  const api = await startContainer({ name, port, env: { CATALOG_DATABASE_URL: `${SERVER}/${database}` } });
  assert.equal(await api.status('/readyz'), 200);
  ok(`CATALOG_DATABASE_URL=${SERVER}/${database}: /readyz 200`);
  await createAdmin(name, ADMIN);
  const token = await api.login(ADMIN.email, ADMIN.password);
  const product = await api.createProduct(token, { name: 'Green tea', category: 'Grocery', price: 3.5 });
  await checkCli(name, [product.id]);
  const rows = await psql(database, `select name from products where id = '${product.id}'`);
  assert.equal(rows, 'Green tea');
  ok('the product created over HTTP is a row in the PostgreSQL database');
  await stopWithinGrace(name);
}

async function psql(database: string, sql: string): Promise<string> {
  const { stdout } = await run('psql', ['-qtAX', '-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-c', sql]);
  return stdout.trim();
}
