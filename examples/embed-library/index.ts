// Catalog embedded in your own program: no server, no setup, an in-memory database.
// Run it: npm start -w @catalog/example-embed-library
import { SYSTEM_ACTOR, createCatalog } from '@catalog/core';

const catalog = await createCatalog({ database: ':memory:' });
try {
  // Registration is public; creating an admin is an operator's act, done here as the system.
  const admin = await catalog.users.create(
    { email: 'admin@example.com', password: 'correct horse battery', role: 'admin' },
    { actor: SYSTEM_ACTOR },
  );
  const actor = { id: admin.id, role: admin.role };

  await catalog.products.createMany(
    [
      { name: 'Green tea', category: 'Drinks', price: 3.5, rating: 4.5 },
      { name: 'Black tea', category: 'Drinks', price: 2.75, rating: 4 },
      { name: 'Espresso beans', category: 'Coffee', price: 12.9, rating: null },
      { name: 'Teapot', category: 'Kitchen', price: 24, rating: 4.8 },
      { name: 'Mug', category: 'Kitchen', price: 6.5, rating: 3.9 },
    ],
    { actor },
  );

  // One page at a time, cheapest first; the cursor continues exactly where the page ended.
  const first = await catalog.products.list({ sort_by: 'price', sort_order: 'asc', limit: 2 });
  console.log('page 1:', first.data.map((p) => `${p.name} ${p.price}`).join(', '));
  const second = await catalog.products.list({
    sort_by: 'price',
    sort_order: 'asc',
    limit: 2,
    cursor: first.next_cursor,
  });
  console.log('page 2:', second.data.map((p) => `${p.name} ${p.price}`).join(', '));

  // Or every matching product, paged behind the scenes.
  for await (const product of catalog.products.iterate({ category: 'drinks' })) {
    console.log('drink:', product.name);
  }

  const summary = await catalog.dashboard.summary();
  console.log(`total: ${summary.total_products}, average rating: ${summary.average_rating}`);
} finally {
  await catalog.close();
}
