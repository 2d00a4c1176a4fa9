import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalog, SYSTEM_ACTOR, type Catalog } from '@catalog/core';
import { applyChange, type IndexState } from './sync-index.js';

/*
 * Follows the change feed of a Catalog database and keeps a JSON index file in sync with it.
 * One process writes, another follows: here two catalogs on one SQLite file. The follower saves
 * the index with the cursor of the last change applied, stops, and resumes from that cursor.
 */

const admin = { actor: SYSTEM_ACTOR };
const dir = await mkdtemp(join(tmpdir(), 'sync-index-'));
const database = `sqlite:${join(dir, 'catalog.db')}`;
const stateFile = join(dir, 'index.json');
const secret = 'example-secret-example-secret-example-secret';

const writer = await createCatalog({ database, secret, bcryptCost: 4 });
const follower = await createCatalog({ database, secret, bcryptCost: 4 });

async function load(): Promise<IndexState> {
  try {
    return JSON.parse(await readFile(stateFile, 'utf8')) as IndexState;
  } catch {
    return { cursor: null, products: {} };
  }
}

/** Applies changes as they come, saving after each, until `until` holds. */
async function follow(catalog: Catalog, until: (state: IndexState) => boolean): Promise<IndexState> {
  const state = await load();
  const stop = new AbortController();
  for await (const change of catalog.changes.watch({ cursor: state.cursor, signal: stop.signal })) {
    applyChange(state, change);
    await writeFile(stateFile, JSON.stringify(state));
    console.log(`applied ${change.type} ${change.product.name}`);
    if (until(state)) stop.abort();
  }
  return state;
}

const show = (state: IndexState) =>
  Object.values(state.products)
    .map((p) => `${p.name} ${p.price}`)
    .sort()
    .join(', ');

try {
  const tea = await writer.products.create({ name: 'Green tea', category: 'drinks', price: 3.5 }, admin);
  const mug = await writer.products.create({ name: 'Mug', category: 'kitchen', price: 6.5 }, admin);
  let state = await follow(follower, (s) => Object.keys(s.products).length === 2);
  console.log(`index: ${show(state)}`);

  // While the follower is away: a price change, a delete and a new product.
  await writer.products.patch(tea.id, { price: 2.75 }, admin);
  await writer.products.delete(mug.id, admin);
  await writer.products.create({ name: 'Teapot', category: 'kitchen', price: 24 }, admin);

  state = await follow(follower, (s) => Object.values(s.products).some((p) => p.name === 'Teapot'));
  console.log(`index: ${show(state)}`);
} finally {
  await Promise.all([writer.close(), follower.close()]);
  await rm(dir, { recursive: true, force: true });
}
