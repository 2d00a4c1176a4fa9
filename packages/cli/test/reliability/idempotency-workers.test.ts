import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import getPort from 'get-port';
import test from 'ava';
import { spawnCli, workersListening } from '../helpers/cli.js';

/* Idempotency-Key under `catalog serve --workers 2`: a retry answered by the other worker is a replay. */

interface Answer {
  status: number;
  worker: string;
  replayed: string | undefined;
  body: Buffer;
}

/** One POST on a fresh connection (no keep-alive), so the cluster may hand it to either worker. */
function post(port: number, path: string, headers: Record<string, string>, json: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            worker: String(res.headers['x-catalog-worker']),
            replayed: res.headers['idempotent-replayed'] as string | undefined,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(json));
  });
}

for (const db of testDatabases()) {
  test.serial(
    `serve --workers 2: a retry that reaches the other worker gets the stored response [${db.name}]`,
    async (t) => {
      const catalog = await createTestCatalog(db);
      const email = `admin-${randomUUID().slice(0, 8)}@example.com`;
      await catalog.users.create({ email, password: 'correct horse battery', role: 'admin' }, { actor: SYSTEM_ACTOR });
      const { access_token: token } = await catalog.auth.login({ email, password: 'correct horse battery' });
      const port = await getPort({ host: '127.0.0.1' });
      const child = await spawnCli(['--db', catalog.url, 'serve', '--port', String(port), '--workers', '2']);
      try {
        await workersListening(child);
        const headers = { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() };
        const input = { name: 'Tea', category: `cat-${randomUUID().slice(0, 8)}`, price: 3.5 };
        const first = await post(port, '/products', headers, input);
        t.is(first.status, 201);
        t.is(first.replayed, undefined);
        let other: Answer | undefined;
        for (let i = 0; i < 20 && !other; i++) {
          const retry = await post(port, '/products', headers, input);
          t.is(retry.replayed, 'true');
          t.true(retry.body.equals(first.body));
          if (retry.worker !== first.worker) other = retry;
        }
        t.truthy(other, 'a retry reached the other worker');
        const page = await catalog.products.list({ category: input.category }, { actor: SYSTEM_ACTOR });
        t.is(page.data.length, 1, 'exactly one product');
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await new Promise((resolve) => (child.exitCode === null ? child.on('close', resolve) : resolve(null)));
        await catalog.destroy();
      }
    },
  );
}
