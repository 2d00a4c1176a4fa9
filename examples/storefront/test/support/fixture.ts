import type { ExecutionContext } from 'ava';
import { SYSTEM_ACTOR, type Catalog } from '@catalog/core';
import { createTestCatalog, type TestDatabase } from '@catalog/core/testing';
import type { ProductInput } from '@catalog/contract';
import type { ServerOptions } from '@catalog/server';
import { startStorefront, type RunningStorefront } from '../../server/storefront-server.js';

export const SHOPPER = { email: 'e2e-shopper@example.com', password: 'storefront e2e pass', name: 'E2E Shopper' };

export interface SeededStorefront {
  catalog: Catalog;
  storefront: RunningStorefront;
}

/**
 * A fresh catalog on `db` holding `products` and the shopper account, served by
 * `startStorefront`; both are closed when the test ends.
 */
export async function startSeededStorefront(
  t: ExecutionContext,
  db: TestDatabase,
  products: ProductInput[],
  server: ServerOptions = {},
): Promise<SeededStorefront> {
  const catalog = await createTestCatalog(db);
  t.teardown(() => catalog.destroy());
  await catalog.products.createMany(products, { actor: SYSTEM_ACTOR });
  await catalog.users.create(SHOPPER, { actor: SYSTEM_ACTOR });
  const storefront = await startStorefront({ catalog, server: { logger: false, env: {}, ...server } });
  t.teardown(() => storefront.close());
  return { catalog, storefront };
}
