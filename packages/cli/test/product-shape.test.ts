import test from 'ava';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import { createServer } from '@catalog/server';
import { cliOn } from './helpers/cli.js';

for (const db of testDatabases()) {
  test(`products create, get and list print in --format json exactly what REST gives an admin [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    const running = await createServer(catalog, { logger: false, env: {} }).listen(0, '127.0.0.1');
    t.teardown(async () => {
      await running.close();
      await catalog.destroy();
    });
    const email = 'shape-admin@example.com';
    await catalog.users.create({ email, password: 'correct horse', role: 'admin' }, { actor: SYSTEM_ACTOR });
    const { access_token } = await catalog.auth.login({ email, password: 'correct horse' });
    const rest = async (path: string) =>
      (await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } })).json();
    const cli = cliOn(catalog.url);

    const created = await cli([
      'products',
      'create',
      '--name',
      'Shape',
      '--category',
      'shape',
      '--price',
      '2.5',
      '--format',
      'json',
    ]);
    t.is(created.code, 0, created.stderr);
    const product = JSON.parse(created.stdout) as { id: string };
    const fromRest = await rest(`/products/${product.id}`);
    t.deepEqual(product, fromRest);
    t.true('deleted_at' in product);

    const got = await cli(['products', 'get', product.id, '--format', 'json']);
    t.deepEqual(JSON.parse(got.stdout), fromRest);
    const listed = await cli(['products', 'list', '--category', 'shape', '--format', 'json']);
    t.deepEqual(JSON.parse(listed.stdout), await rest('/products?category=shape'));
  });
}
