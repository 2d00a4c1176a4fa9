import { createHmac, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { TokenResponse } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import {
  createTestCatalog,
  testDatabases,
  TEST_OPTIONS,
  type TestCatalog,
  type TestDatabase,
} from '@catalog/core/testing';
import type { ExecutionContext, TestFn } from 'ava';
import { createServer, type RunningServer, type ServerOptions } from '../src/index.js';

/** A real server on an ephemeral port over a fresh test database. */
export interface TestServer {
  db: TestDatabase['name'];
  url: string;
  catalog: TestCatalog;
  running: RunningServer;
  close(): Promise<void>;
}

/**
 * Starts one server per test database, sharing it across a test file (suites stay fast); logs
 * are silenced. Generous rate limits unless the options say otherwise, so suites that sign in a
 * lot are not throttled by their own setup.
 */
export async function startTestServer(db: TestDatabase, options: ServerOptions = {}): Promise<TestServer> {
  const catalog = await createTestCatalog(db);
  const server = createServer(catalog, { logger: false, authPerIpLimit: 0, loginFailureLimit: 0, env: {}, ...options });
  const running = await server.listen(0, '127.0.0.1');
  return {
    db: db.name,
    url: running.url,
    catalog,
    running,
    async close() {
      await running.close();
      await catalog.destroy();
    },
  };
}

/**
 * Registers `test.before`/`test.after.always` hooks that start a server per database and returns
 * a lookup by database name.
 */
export function serversFor(test: TestFn, options: ServerOptions = {}): (db: TestDatabase) => TestServer {
  const servers = new Map<string, TestServer>();
  test.before(async () => {
    for (const db of testDatabases()) servers.set(db.name, await startTestServer(db, options));
  });
  test.after.always(async () => {
    for (const server of servers.values()) await server.close();
  });
  return (db) => {
    const server = servers.get(db.name);
    if (!server) throw new Error(`no server for ${db.name}`);
    return server;
  };
}

export { testDatabases };

export interface CallOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
}

/** One HTTP call with global fetch; JSON bodies are sent as application/json, forms url-encoded. */
export async function call(
  server: { url: string },
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  if (options.form) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return fetch(`${server.url}${path}`, { method, headers, body });
}

/**
 * One HTTP call from a chosen local address: Linux routes all of 127.0.0.0/8 to the loopback
 * interface, so binding the client socket to 127.0.0.2, 127.0.0.3, … makes the server see
 * distinct client IPs without a proxy header. Answers as a fetch Response.
 */
export function callFrom(
  server: { url: string },
  localAddress: string,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const body = options.json === undefined ? options.body : JSON.stringify(options.json);
  const headers: Record<string, string> = { ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const status = res.statusCode ?? 0;
        const bytes = Buffer.concat(chunks);
        resolve(new Response(status === 204 ? null : bytes, { status, headers: responseHeaders }));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads a problem+json body and checks its shape against RFC 9457 + SPEC §4. */
export async function problemOf(
  t: ExecutionContext,
  response: Response,
  status: number,
  code: string,
): Promise<Record<string, unknown>> {
  t.is(response.status, status, `expected ${status} ${code}`);
  t.is(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  const body = (await response.json()) as Record<string, unknown>;
  t.is(body.code, code);
  t.is(body.status, status);
  t.is(body.type, 'about:blank');
  t.is(typeof body.title, 'string');
  t.is(typeof body.detail, 'string');
  t.is(body.request_id, response.headers.get('x-request-id'));
  return body;
}

export const PASSWORD = 'correct horse battery';

/** A unique email per call, so tests sharing a database never collide. */
export function email(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Creates a user with `role` through the library and signs it in. */
export async function signedIn(
  server: Pick<TestServer, 'catalog'>,
  role: 'user' | 'admin' = 'user',
): Promise<TokenResponse & { email: string }> {
  const address = email(role);
  await server.catalog.users.create({ email: address, password: PASSWORD, role }, { actor: SYSTEM_ACTOR });
  return { ...(await server.catalog.auth.login({ email: address, password: PASSWORD })), email: address };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A hand-made HS256 token signed with the test secret's JWT key (same derivation as core's
 * tokens.ts), for claims the service would never issue: expired, foreign issuer, …
 */
export function forgeToken(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const key = createHmac('sha256', TEST_OPTIONS.secret as string)
    .update('catalog-jwt-v1')
    .digest();
  const unsigned = `${b64(header)}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** Claims of a valid token for `sub`, to be altered by a test. */
export function claimsFor(sub: string, role: 'user' | 'admin' = 'user'): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub, role, iss: 'catalog', aud: 'catalog-api', iat: now, exp: now + 600, jti: randomUUID() };
}

/** The `sub` of an access token. */
export function subjectOf(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).sub as string;
}
