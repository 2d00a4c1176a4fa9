import test from 'ava';
import { ConfigError, resolveConfig } from '../../src/index.js';

test('defaults to the embedded SQLite file', (t) => {
  const config = resolveConfig({}, {});
  t.deepEqual(config.database, { kind: 'sqlite', url: 'sqlite:data/catalog.db', path: 'data/catalog.db' });
  t.is(config.bcryptCost, 12);
  t.is(config.accessTokenTtl, 900);
  t.is(config.refreshTokenTtl, 7 * 24 * 3600);
  t.is(config.secret, undefined);
});

test('reads the environment when an option is absent, options win over it', (t) => {
  const env = { CATALOG_DATABASE_URL: 'postgres://u@h:5432/db', CATALOG_BCRYPT_COST: '10' };
  t.is(resolveConfig({}, env).database.kind, 'postgresql');
  t.is(resolveConfig({}, env).bcryptCost, 10);
  t.is(resolveConfig({ bcryptCost: 4 }, env).bcryptCost, 4);
  t.is(resolveConfig({ database: ':memory:' }, env).database.path, ':memory:');
});

test('reports every bad value at once, naming where it came from', (t) => {
  const error = t.throws(
    () => resolveConfig({ accessTokenTtl: 1 }, { CATALOG_BCRYPT_COST: 'twelve', CATALOG_SECRET: 'short' }),
    { instanceOf: ConfigError },
  );
  t.is(error?.problems.length, 3);
  t.regex(error!.message, /CATALOG_BCRYPT_COST: must be a number \(got "twelve"\)/);
  t.regex(error!.message, /CATALOG_SECRET: must be at least 32 characters/);
  t.notRegex(error!.message, /short/, 'the secret value is never echoed');
  t.regex(error!.message, /option accessTokenTtl: must be at least 10/);
});

test('rejects database URLs it cannot open', (t) => {
  const error = t.throws(() => resolveConfig({}, { CATALOG_DATABASE_URL: 'mysql://x' }), { instanceOf: ConfigError });
  t.regex(error!.message, /CATALOG_DATABASE_URL: must be sqlite:PATH, :memory: or postgres:\/\//);
  t.throws(() => resolveConfig({ database: 'sqlite:' }, {}), { instanceOf: ConfigError });
});
