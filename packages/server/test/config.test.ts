import { ConfigError } from '@catalog/core';
import test from 'ava';
import { resolveServerConfig } from '../src/index.js';

test('defaults: 127.0.0.1:8000, private reads, SPEC rate limits, CORS off', (t) => {
  t.deepEqual(resolveServerConfig({}, {}), {
    port: 8000,
    host: '127.0.0.1',
    publicRead: false,
    loginFailureLimit: 10,
    loginFailureWindow: 900,
    authPerIpLimit: 60,
    authPerIpWindow: 60,
    corsOrigins: [],
    trustProxy: false,
    logLevel: 'info',
    shutdownTimeout: 10,
    rateLimitStorage: 'database',
    cacheControl: 'private, no-cache',
    requireIfMatch: false,
    metrics: true,
    metricsToken: '',
    changesHeartbeatMs: 15000,
  });
});

test('CATALOG_CACHE_CONTROL and CATALOG_REQUIRE_IF_MATCH are read and checked', (t) => {
  t.like(resolveServerConfig({}, { CATALOG_CACHE_CONTROL: ' no-store ', CATALOG_REQUIRE_IF_MATCH: 'true' }), {
    cacheControl: 'no-store',
    requireIfMatch: true,
  });
  const error = t.throws(
    () => resolveServerConfig({}, { CATALOG_CACHE_CONTROL: 'a\nb', CATALOG_REQUIRE_IF_MATCH: 'yes' }),
    {
      instanceOf: ConfigError,
    },
  );
  t.is(error?.problems.length, 2);
});

test('metrics settings: CATALOG_METRICS turns them off; a short metrics token is refused without being quoted', (t) => {
  const token = 'a-metrics-token-of-some-length';
  t.like(resolveServerConfig({}, { CATALOG_METRICS: 'false', CATALOG_METRICS_TOKEN: token }), {
    metrics: false,
    metricsToken: token,
  });
  const error = t.throws(() => resolveServerConfig({}, { CATALOG_METRICS: 'maybe', CATALOG_METRICS_TOKEN: 'short' }), {
    instanceOf: ConfigError,
  });
  t.regex(error.message, /CATALOG_METRICS: must be true or false/);
  t.regex(error.message, /CATALOG_METRICS_TOKEN: must be at least 16 visible ASCII characters/);
  t.false(error.message.includes('short'));
  t.throws(() => resolveServerConfig({ metricsToken: 'sixteen chars ok' }, {}), { instanceOf: ConfigError });
});

test('settings come from the environment when not given as options', (t) => {
  const config = resolveServerConfig(
    { port: 9000 },
    {
      CATALOG_PORT: '1234',
      CATALOG_HOST: '0.0.0.0',
      CATALOG_PUBLIC_READ: 'true',
      CATALOG_RATE_LIMIT_LOGIN_FAILURES: '0',
      CATALOG_RATE_LIMIT_AUTH_PER_IP: '5',
      CATALOG_CORS_ORIGINS: 'https://a.example.com, http://localhost:5173',
      CATALOG_TRUST_PROXY: '1',
      CATALOG_LOG_LEVEL: 'warn',
      CATALOG_RATE_LIMIT_STORE: 'memory',
    },
  );
  t.is(config.rateLimitStorage, 'memory');
  t.like(config, {
    port: 9000,
    host: '0.0.0.0',
    publicRead: true,
    loginFailureLimit: 0,
    authPerIpLimit: 5,
    trustProxy: true,
    logLevel: 'warn',
  });
  t.deepEqual(config.corsOrigins, ['https://a.example.com', 'http://localhost:5173']);
  t.is(resolveServerConfig({}, { CATALOG_CORS_ORIGINS: '*' }).corsOrigins, '*');
});

test('every bad value is reported once, naming where it came from', (t) => {
  const error = t.throws(
    () =>
      resolveServerConfig(
        { host: '' },
        {
          CATALOG_PORT: 'eighty',
          CATALOG_PUBLIC_READ: 'yes',
          CATALOG_CORS_ORIGINS: 'shop.example.com/path',
          CATALOG_LOG_LEVEL: 'loud',
          CATALOG_RATE_LIMIT_AUTH_PER_IP: '-1',
        },
      ),
    { instanceOf: ConfigError },
  );
  const problems = (error as ConfigError).problems;
  t.is(problems.length, 6, problems.join('\n'));
  for (const name of [
    'CATALOG_PORT',
    'CATALOG_PUBLIC_READ',
    'CATALOG_CORS_ORIGINS',
    'CATALOG_LOG_LEVEL',
    'CATALOG_RATE_LIMIT_AUTH_PER_IP',
    'option host',
  ]) {
    t.true(
      problems.some((p) => p.startsWith(`${name}: `)),
      `${name} in ${problems.join(' | ')}`,
    );
  }
});
