import type { ExecutionContext, TestFn } from 'ava';
import { SYSTEM_ACTOR, type CatalogOptions } from '@catalog/core';
import { createTestCatalog, type TestCatalog, type TestDatabase } from '@catalog/core/testing';
import { createServer, type ServerOptions } from '@catalog/server';
import {
  CatalogApiError,
  createClient,
  type CatalogApiErrorCode,
  type CatalogClient,
  type ClientOptions,
  type FetchLike,
} from '../../src/index.js';

/** A real Catalog server on an ephemeral loopback port, over a fresh test database. */
export interface LiveServer {
  readonly catalog: TestCatalog;
  readonly url: string;
  close(): Promise<void>;
}

// No logs, no environment leaking in, and rate limits off: a suite signs in far more often
// than one client IP is allowed to.
const QUIET: ServerOptions = { logger: false, env: {}, authPerIpLimit: 0, loginFailureLimit: 0 };

export async function startServer(
  db: TestDatabase,
  catalogOptions: CatalogOptions = {},
  settings: ServerOptions = {},
): Promise<LiveServer> {
  const catalog = await createTestCatalog(db, catalogOptions);
  const running = await createServer(catalog, { ...QUIET, ...settings }).listen(0, '127.0.0.1');
  return {
    catalog,
    url: running.url,
    async close() {
      await running.close();
      await catalog.destroy();
    },
  };
}

/**
 * Registers before/after hooks that start one server for the file and stop it at the end;
 * the returned function gives the running server inside a test.
 */
export function useServer(
  test: TestFn,
  db: TestDatabase,
  catalogOptions: CatalogOptions = {},
  settings: ServerOptions = {},
): () => LiveServer {
  let live: LiveServer | undefined;
  test.before(async () => {
    live = await startServer(db, catalogOptions, settings);
  });
  test.after.always(async () => {
    await live?.close();
  });
  return () => {
    if (!live) throw new Error('server not started');
    return live;
  };
}

let counter = 0;
/** An email no other test of this process uses. */
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}-${Date.now().toString(36)}@example.com`;
}

export const PASSWORD = 'correct horse battery';

/** A user (or admin) created through the library, and a client signed in as them over HTTP. */
export async function signedInClient(
  live: LiveServer,
  role: 'user' | 'admin',
  options: Partial<ClientOptions> = {},
): Promise<{ client: CatalogClient; email: string }> {
  const email = uniqueEmail(role);
  await live.catalog.users.create({ email, password: PASSWORD, role }, { actor: SYSTEM_ACTOR });
  const client = createClient({ baseUrl: live.url, ...options });
  await client.auth.login({ email, password: PASSWORD });
  return { client, email };
}

/** Wraps the real fetch to record the method and path of every request; responses are untouched. */
export function recordingFetch(): { fetch: FetchLike; calls: string[] } {
  const calls: string[] = [];
  const fetch: FetchLike = (input, init) => {
    calls.push(`${init.method ?? 'GET'} ${new URL(input).pathname}`);
    return globalThis.fetch(input, init);
  };
  return { fetch, calls };
}

/** Asserts the promise rejects with a CatalogApiError of this status and code, and returns it. */
export async function rejectsWith(
  t: ExecutionContext,
  promise: Promise<unknown>,
  status: number,
  code: CatalogApiErrorCode,
): Promise<CatalogApiError | undefined> {
  const error = await t.throwsAsync<CatalogApiError>(promise, { instanceOf: CatalogApiError });
  t.is(error?.status, status, `status of: ${error?.message}`);
  t.is(error?.code, code, `code of: ${error?.message}`);
  return error;
}
