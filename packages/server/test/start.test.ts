import { ConfigError } from '@catalog/core';
import { TEST_OPTIONS } from '@catalog/core/testing';
import test from 'ava';
import { startServer } from '../src/index.js';
import { call, testDatabases } from './helpers.js';

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`startServer opens the catalog, serves it, and close() closes both ${tag}`, async (t) => {
    const database = await db.create();
    try {
      const options = {
        database: database.url,
        secret: TEST_OPTIONS.secret,
        bcryptCost: 4,
        port: 0,
        host: '127.0.0.1',
        logger: false as const,
        handleSignals: false,
        env: {},
      };
      const started = await startServer(options);
      t.is((await call(started, 'GET', '/readyz')).status, 200);

      // A second server on the same port fails with the listen error.
      const port = Number(new URL(started.url).port);
      await t.throwsAsync(startServer({ ...options, port }), { code: 'EADDRINUSE' });

      await started.close();
      await started.close(); // idempotent
      await t.throwsAsync(started.catalog.ping());
      await t.throwsAsync(fetch(`${started.url}/healthz`));
    } finally {
      await database.drop();
    }
  });

  test(`startServer refuses bad server settings with ConfigError ${tag}`, async (t) => {
    const database = await db.create();
    try {
      const error = await t.throwsAsync(
        startServer({
          database: database.url,
          secret: TEST_OPTIONS.secret,
          logger: false,
          handleSignals: false,
          env: { CATALOG_CORS_ORIGINS: 'not an origin' },
        }),
        { instanceOf: ConfigError },
      );
      t.regex(error?.message ?? '', /CATALOG_CORS_ORIGINS/);
    } finally {
      await database.drop();
    }
  });
}
