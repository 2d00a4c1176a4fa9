import { SYSTEM_ACTOR, createCatalog } from '@catalog/core';
import { demoProducts } from './demo-data.js';
import { startStorefront } from './storefront-server.js';

// `npm run dev`: the storefront and the API on one port. Without CATALOG_DATABASE_URL it runs on
// a throw-away in-memory catalog seeded with demo products and two demo accounts; with it, on
// that database as it is (no demo accounts with known passwords in a real database). Every
// CATALOG_* variable applies as usual (e.g. CATALOG_PUBLIC_READ=true, CATALOG_LOG_LEVEL=warn).
const DEMO_ACCOUNTS = [
  { email: 'shopper@example.com', password: 'storefront-demo', name: 'Demo Shopper', role: 'user' },
  { email: 'admin@example.com', password: 'correct horse battery', name: 'Demo Admin', role: 'admin' },
] as const;

const demo = !process.env.CATALOG_DATABASE_URL;
const catalog = await createCatalog(demo ? { database: ':memory:' } : {});
if (demo) {
  await catalog.products.createMany(demoProducts(120), { actor: SYSTEM_ACTOR });
  for (const account of DEMO_ACCOUNTS) await catalog.users.create(account, { actor: SYSTEM_ACTOR });
}

const storefront = await startStorefront({
  catalog,
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '127.0.0.1',
});
console.log(`Storefront on ${storefront.url}`);
if (demo) for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(5)} ${a.email} / ${a.password}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    void storefront.close().then(() => catalog.close());
  });
}
