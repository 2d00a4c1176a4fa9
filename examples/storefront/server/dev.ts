import { SYSTEM_ACTOR, createCatalog } from '@catalog/core';
import { demoProducts } from './demo-data.js';
import { startStorefront } from './storefront-server.js';

// `npm run dev`: the storefront and the API on one port, on an in-memory catalog with demo data
// unless CATALOG_DATABASE_URL points at a real one. Every CATALOG_* variable applies as usual.
const DEMO_USER = { email: 'shopper@example.com', password: 'storefront-demo', name: 'Demo Shopper' };

const catalog = await createCatalog({ database: process.env.CATALOG_DATABASE_URL ?? ':memory:' });
const { total_products } = await catalog.dashboard.summary();
if (total_products === 0) {
  await catalog.products.createMany(demoProducts(120), { actor: SYSTEM_ACTOR });
}
try {
  await catalog.users.create(DEMO_USER, { actor: SYSTEM_ACTOR });
} catch (error) {
  // Already there from an earlier run on the same database.
  if ((error as { code?: string }).code !== 'conflict') throw error;
}

const storefront = await startStorefront({
  catalog,
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '127.0.0.1',
});
console.log(`Storefront on ${storefront.url}`);
console.log(`Sign in as ${DEMO_USER.email} / ${DEMO_USER.password}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    void storefront.close().then(() => catalog.close());
  });
}
