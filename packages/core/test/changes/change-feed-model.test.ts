import type { Change, Product } from '@catalog/contract';
import test from 'ava';
import fc from 'fast-check';
import { createCatalog, SYSTEM_ACTOR, type Catalog } from '../../src/index.js';
import { createTestCatalog, TEST_OPTIONS, testDatabases } from '../../src/testing.js';
import { readChanges } from '../support/change-feed.js';

/*
 * The feed's promise, as a model test: several writers on their own connections (catalogs) write
 * at random while a reader follows the feed with random page sizes, dropping its position now and
 * then and resuming from the last change it kept. Every committed change arrives exactly once,
 * each product's changes in the order they were committed (versions 1, 2, 3… with no gap), and
 * replaying the whole feed gives exactly the products table.
 */

const system = { actor: SYSTEM_ACTOR };
const WRITERS = 3;

type Op =
  | { kind: 'create' }
  | { kind: 'createMany'; n: number }
  | { kind: 'patch'; pick: number; price: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'restore'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: 'create' }),
  fc.integer({ min: 2, max: 5 }).map<Op>((n) => ({ kind: 'createMany', n })),
  fc.record({ pick: fc.nat(), price: fc.integer({ min: 0, max: 1000 }) }).map<Op>((r) => ({ kind: 'patch', ...r })),
  fc.nat().map<Op>((pick) => ({ kind: 'delete', pick })),
  fc.nat().map<Op>((pick) => ({ kind: 'restore', pick })),
);

/** Runs one writer's operations in order; writes that find nothing to change (not found) write nothing. */
async function runWriter(catalog: Catalog, ops: readonly Op[], ids: string[]): Promise<void> {
  for (const op of ops) {
    const input = { name: `p${ids.length}`, category: 'model', price: 1 };
    const pick = (n: number) => ids[n % Math.max(ids.length, 1)];
    try {
      if (op.kind === 'create') ids.push((await catalog.products.create(input, system)).id);
      else if (op.kind === 'createMany')
        ids.push(
          ...(
            await catalog.products.createMany(
              Array.from({ length: op.n }, () => input),
              system,
            )
          ).map((p) => p.id),
        );
      else {
        const id = pick(op.pick);
        if (id === undefined) continue;
        if (op.kind === 'patch') await catalog.products.patch(id, { price: op.price }, system);
        else if (op.kind === 'delete') await catalog.products.delete(id, system);
        else await catalog.products.restore(id, system);
      }
    } catch (error) {
      if ((error as { code?: string }).code !== 'not_found') throw error;
    }
  }
}

/** Follows the feed until `done` (given the changes seen) says it has caught up; at most a minute. */
async function follow(
  catalog: Catalog,
  limits: readonly number[],
  drops: readonly boolean[],
  done: (seen: readonly Change[]) => boolean,
) {
  const deadline = Date.now() + 60_000;
  const seen: Change[] = [];
  let cursor: string | undefined;
  for (let step = 0; ; step++) {
    const page = await catalog.changes.list({ limit: limits[step % limits.length]!, ...(cursor ? { cursor } : {}) });
    seen.push(...page.data);
    // A dropped connection: the position kept is the id of the last change received.
    cursor = drops[step % drops.length] ? (seen.at(-1)?.id ?? cursor) : page.next_cursor;
    if (!page.has_more) {
      if (done(seen) || Date.now() > deadline) return seen;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

for (const db of testDatabases()) {
  test(`concurrent writers, a reader with random pages and drops: every change once, per-product order, replay = table [${db.name}]`, async (t) => {
    const reader = await createTestCatalog(db);
    const writers = await Promise.all(
      Array.from({ length: WRITERS }, () => createCatalog({ ...TEST_OPTIONS, database: reader.url })),
    );
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(opArb, { minLength: 1, maxLength: 8 }), { minLength: WRITERS, maxLength: WRITERS }),
          fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
          fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
          async (plans, limits, drops) => {
            const ids: string[] = (await reader.products.list({ include_deleted: true, limit: 100 }, system)).data.map(
              (p) => p.id,
            );
            const written: { marker?: string } = {};
            // Caught up once it read the marker, written after every other write committed.
            const following = follow(reader, limits, drops, (seen) =>
              seen.some((c) => c.product_id === written.marker),
            );
            await Promise.all(writers.map((writer, i) => runWriter(writer, plans[i]!, ids)));
            const marker = (written.marker = (
              await writers[0]!.products.create({ name: 'marker', category: 'model', price: 0 }, system)
            ).id);
            const followed = await following;
            const { changes: replay } = await readChanges(reader, 0);

            // The follower saw exactly the feed: same changes, same order, none twice.
            t.deepEqual(
              followed.map((c) => c.id),
              replay.slice(0, followed.length).map((c) => c.id),
            );
            if (!followed.some((c) => c.product_id === marker)) return false;
            t.is(new Set(replay.map((c) => c.id)).size, replay.length);
            // Per product: versions 1, 2, 3… in commit order, none missing.
            const versions = new Map<string, number>();
            for (const change of replay) {
              const before = versions.get(change.product_id) ?? 0;
              if (change.product.version !== before + 1) return false;
              versions.set(change.product_id, change.product.version);
            }
            // Replaying the feed rebuilds the table.
            const rebuilt = new Map<string, Product>();
            for (const change of replay) rebuilt.set(change.product_id, change.product);
            const table: Product[] = [];
            for await (const p of reader.products.iterate({ include_deleted: true }, system)) table.push(p);
            const byId = (a: Product, b: Product) => a.id.localeCompare(b.id);
            t.deepEqual([...rebuilt.values()].sort(byId), table.sort(byId));
            return true;
          },
        ),
        { numRuns: 6 },
      );
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
      await reader.destroy();
    }
  });
}
