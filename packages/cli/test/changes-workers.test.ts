import { request } from 'node:http';
import type { Change } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import test from 'ava';
import getPort from 'get-port';
import { spawnCli, workersListening } from './helpers/cli.js';

/** POST /products on a connection of its own; resolves with the product and the worker that wrote it. */
function createOn(port: number, token: string, name: string): Promise<{ id: string; worker: string }> {
  const body = JSON.stringify({ name, category: 'workers', price: 1 });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/products',
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 201) reject(new Error(`POST /products: ${response.statusCode} ${text}`));
          else
            resolve({
              id: (JSON.parse(text) as { id: string }).id,
              worker: String(response.headers['x-catalog-worker']),
            });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

for (const db of testDatabases()) {
  test(`serve --workers 2: a write made on one worker reaches a change stream open on the other [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    const port = await getPort({ host: '127.0.0.1' });
    const child = await spawnCli(['--db', catalog.url, 'serve', '--port', String(port), '--workers', '2']);
    const stop = new AbortController();
    try {
      await catalog.users.create(
        { email: 'w@example.com', password: 'correct horse', role: 'admin' },
        { actor: SYSTEM_ACTOR },
      );
      const { access_token: token } = await catalog.auth.login({ email: 'w@example.com', password: 'correct horse' });
      await workersListening(child);
      const stream = await fetch(`http://127.0.0.1:${port}/changes/stream`, {
        headers: { authorization: `Bearer ${token}` },
        signal: stop.signal,
      });
      t.is(stream.status, 200);
      const streamWorker = stream.headers.get('x-catalog-worker');
      let written: { id: string; worker: string } | undefined;
      for (let i = 0; i < 20 && !written; i++) {
        const created = await createOn(port, token, `w${i}`);
        if (created.worker !== streamWorker) written = created;
      }
      if (!written) return t.fail('no write landed on the other worker');
      const decoder = new TextDecoder();
      let text = '';
      let received: Change | undefined;
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        const data = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as Change);
        received = data.find((change) => change.product_id === written.id);
        if (received) break;
      }
      t.is(received?.type, 'product.created');
      t.not(written.worker, streamWorker);
    } finally {
      stop.abort();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.on('close', resolve) : resolve(null)));
      await catalog.destroy();
    }
  });
}
