import type { BenchArgs } from './args.js';
import { catalogEnv, USER } from './dataset.js';
import { load, type LoadSpec } from './load.js';
import { login, type Measurement } from './scenarios.js';
import { startCatalogServer } from './server.js';

/** The load of the first page (GET /products) as the bench's user, logged in on the server at `url`. */
async function firstPageAsUser(url: string, args: BenchArgs): Promise<LoadSpec> {
  const token = await login(url, USER);
  return {
    url,
    paths: ['/products'],
    headers: { authorization: `Bearer ${token}` },
    connections: args.connections,
    duration: args.duration,
    warmup: args.warmup,
  };
}

/** Logins running at once in the login-under-load scenario. */
const LOGINS = 20;

/**
 * GET /products (first page) idle, then while LOGINS logins run without pause (bcrypt cost 12),
 * on the same server: how much the password hashing starves the event loop.
 */
export async function loginUnderLoad(url: string, args: BenchArgs): Promise<Measurement[]> {
  const server = await startCatalogServer(catalogEnv(url));
  try {
    const list = await firstPageAsUser(server.url, args);
    console.error('  first page, idle …');
    const idle = await load({ ...list, serverPid: server.pid });
    console.error(`  first page, ${LOGINS} logins running …`);
    const body = JSON.stringify(USER);
    const logins = load({
      url: server.url,
      paths: ['/auth/login'],
      method: 'POST',
      body,
      connections: LOGINS,
      duration: args.duration + args.warmup,
      warmup: 0,
    });
    const busy = await load(list);
    const loginResult = await logins;
    return [
      { group: 'login', scenario: 'first page, idle', detail: 'GET /products', ...idle },
      {
        group: 'login',
        scenario: `first page, ${LOGINS} logins running`,
        detail: `GET /products while ${LOGINS} connections POST /auth/login`,
        ...busy,
      },
      {
        group: 'login',
        scenario: `the ${LOGINS} logins`,
        detail: 'POST /auth/login, concurrently with the line above',
        ...loginResult,
      },
    ];
  } finally {
    await server.stop();
  }
}

/** GET /products (first page) on `catalog serve` with 1 and with 2 workers. */
export async function workerScaling(url: string, args: BenchArgs): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const workers of [1, 2]) {
    const server = await startCatalogServer(catalogEnv(url), workers);
    try {
      const list = await firstPageAsUser(server.url, args);
      console.error(`  first page, ${workers} worker(s) …`);
      const result = await load({ ...list, serverPid: server.pid });
      results.push({
        group: 'workers',
        scenario: `first page, --workers ${workers}`,
        detail: `catalog serve --workers ${workers}`,
        ...result,
      });
    } finally {
      await server.stop();
    }
  }
  return results;
}
