import { SYSTEM_ACTOR } from '@catalog/core';
import test from 'ava';
import { testDatabases } from '../helpers.js';
import { consistency, prepareDatabase, reopen, spawnServer } from './support/processes.js';

/** Writes acknowledged before the kill; the kill comes while more are in flight. */
const ACKED_BEFORE_KILL = 120;
const WRITERS = 6;

for (const db of testDatabases()) {
  test(`the server killed with SIGKILL during writes loses no acknowledged write, and the database stays consistent [${db.name}]`, async (t) => {
    const prepared = await prepareDatabase(db);
    const server = await spawnServer(prepared.url);
    try {
      const headers = { authorization: `Bearer ${prepared.admin.access_token}`, 'content-type': 'application/json' };
      const created = new Map<string, string>(); // id → name, answered 201
      const patched = new Set<string>(); // ids whose PATCH answered 200
      let killed = false;
      let failuresBeforeKill = 0;

      const writer = async (w: number) => {
        for (let i = 0; !killed; i++) {
          try {
            const name = `crash ${w}-${i}`;
            const response = await fetch(`${server.url}/products`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ name, category: 'crash', price: 1 }),
            });
            if (response.status !== 201) {
              if (!killed) failuresBeforeKill++;
              continue;
            }
            const { id } = (await response.json()) as { id: string };
            created.set(id, name);
            if (i % 3 === 0) {
              const patch = await fetch(`${server.url}/products/${id}`, {
                method: 'PATCH',
                headers,
                body: JSON.stringify({ price: 777 }),
              });
              if (patch.status === 200) patched.add(id);
            }
            if (created.size >= ACKED_BEFORE_KILL && !killed) {
              killed = true;
              server.child.kill('SIGKILL');
            }
          } catch {
            // The connection died with the process: the write was not acknowledged.
            if (!killed) failuresBeforeKill++;
          }
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      t.is(await server.exited, null, 'the process was killed');
      t.is(failuresBeforeKill, 0, 'no write failed before the kill');
      t.true(created.size >= ACKED_BEFORE_KILL);

      // "Restart": open the database again, as the next process would.
      const missing = await reopen(prepared.url, async (catalog) => {
        const lost: string[] = [];
        for (const [id, name] of created) {
          const product = await catalog.products.get(id, { actor: SYSTEM_ACTOR }).catch(() => null);
          if (!product || product.name !== name) lost.push(`created ${id}`);
          else if (patched.has(id) && product.price !== 777) lost.push(`patched ${id}`);
        }
        return lost;
      });
      t.deepEqual(missing, [], 'every write answered 2xx before the kill is there after restart');

      const after = await consistency(prepared.url);
      t.is(after.integrity, 'ok');
      t.is(after.total, after.walked, 'dashboard totals match the rows');
      t.true(after.walked >= created.size);
      // The restarted server serves them.
      const again = await spawnServer(prepared.url);
      try {
        const first = [...created.keys()][0] as string;
        t.is((await fetch(`${again.url}/products/${first}`, { headers })).status, 200);
      } finally {
        await again.stop();
      }
    } finally {
      await server.stop();
      await prepared.drop();
    }
  });
}
