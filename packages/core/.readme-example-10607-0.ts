import { createCatalog, SYSTEM_ACTOR } from '@catalog/core';

const catalog = await createCatalog({ database: ':memory:' });
try {
  await catalog.products.create({ name: 'Teapot', category: 'Kitchen', price: 24 }, { actor: SYSTEM_ACTOR });
  const page = await catalog.products.list({ sort_by: 'price', limit: 10 });
  console.log(page.data.map((product) => product.name)); // [ 'Teapot' ]
  // next_cursor is null on the last page; passed back as cursor, null means the first page.
  const again = await catalog.products.list({ sort_by: 'price', limit: 10, cursor: page.next_cursor });
  console.log(again.data.length); // 1
} finally {
  await catalog.close();
}

export {};
word: 'correct horse battery' });
const actor = await catalog.auth.verifyAccessToken(tokens.access_token); // { id, role, session }
await catalog.close();

export {};
oard.summary());
await catalog.close();

export {};
