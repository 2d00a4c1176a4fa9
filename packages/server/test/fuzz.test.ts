import { OAuthErrorSchema, ProblemSchema } from '@catalog/contract';
import { SYSTEM_ACTOR } from '@catalog/core';
import test from 'ava';
import fc from 'fast-check';
import { serversFor, signedIn, testDatabases, type TestServer } from './helpers.js';

/**
 * Property: whatever arrives — any method on any route, arbitrary JSON or raw bodies, any
 * content type, query strings, headers and path ids, with or without a (valid) token — the
 * server never answers 5xx, never leaks a stack or SQL, answers every error as a valid
 * problem+json (the OAuth2 token endpoint: RFC 6749 bodies), and a rejected request leaves the
 * database exactly as it was.
 */
const serverFor = serversFor(test);
const RUNS = Number(process.env.CATALOG_FUZZ_RUNS ?? 300);

const ROUTES = [
  ['POST', '/auth/register'],
  ['POST', '/auth/login'],
  ['POST', '/auth/token'],
  ['POST', '/auth/refresh'],
  ['POST', '/auth/logout'],
  ['GET', '/auth/me'],
  ['GET', '/products'],
  ['POST', '/products'],
  ['GET', '/products/{id}'],
  ['PUT', '/products/{id}'],
  ['PATCH', '/products/{id}'],
  ['DELETE', '/products/{id}'],
  ['POST', '/products/{id}/restore'],
  ['GET', '/dashboard/summary'],
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  ['GET', '/openapi.json'],
  ['GET', '/docs'],
] as const;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const QUERY_KEYS = [
  'search',
  'category',
  'min_price',
  'max_price',
  'min_rating',
  'sort_by',
  'sort_order',
  'limit',
  'cursor',
  'include_deleted',
];
const NASTY = [
  '',
  ' ',
  '%',
  '_',
  '\\',
  "' or 1=1 --",
  '"; drop table products; --',
  '-1',
  '0',
  '1e400',
  'NaN',
  'Infinity',
  '0x10',
  '1,5',
  'true',
  '[]',
  '{}',
  'null',
  '\u{1F642}',
  '\u0301',
  'é',
  'a'.repeat(300),
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  '*/*',
  ';;',
];
/** A stack frame, a source position, or words that only SQL or a driver would say. */
const LEAKS =
  /node_modules|\bat \S+ \(|\.[jt]s:\d+:\d+|SQLITE_[A-Z]|syntax error at or near|KnexTimeoutError|DriverException|MikroORM|pg_catalog/;

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x21-\\x7e]{0,${max}}$`));
const anything = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...NASTY),
  fc.jsonValue({ maxDepth: 2 }),
);

function requests(ids: string[], tokens: string[]): fc.Arbitrary<FuzzRequest> {
  const id = fc.oneof(
    fc.constantFrom(...ids),
    fc.uuid(),
    fc.string().map(encodeURIComponent),
    fc.constantFrom('%00', '%E0%A4%A', '..%2F..%2Fetc', '%25', '0', '9'.repeat(400)),
  );
  const query = fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 12 })),
        fc.oneof(fc.string(), fc.constantFrom(...NASTY)),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => (pairs.length > 0 ? `?${new URLSearchParams(pairs).toString()}` : ''));
  const product = fc.record(
    { name: anything, category: anything, price: anything, rating: anything, id: anything, deleted_at: anything },
    { requiredKeys: [] },
  );
  const credentials = fc.record(
    { email: anything, password: anything, name: anything, role: anything, refresh_token: anything },
    { requiredKeys: [] },
  );
  const form = fc
    .record(
      {
        grant_type: fc.oneof(fc.constantFrom('password', 'refresh_token', 'client_credentials'), fc.string()),
        username: fc.string(),
        password: fc.string(),
        refresh_token: fc.string(),
        scope: fc.string(),
      },
      { requiredKeys: [] },
    )
    .map((fields) => new URLSearchParams(fields).toString());
  const body = fc.option(
    fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      product.map((v) => JSON.stringify(v)),
      credentials.map((v) => JSON.stringify(v)),
      form,
      fc.string({ maxLength: 200 }),
    ),
    { nil: undefined },
  );
  const headers = fc.record(
    {
      authorization: fc.oneof(
        fc.constantFrom(...tokens.map((token) => `Bearer ${token}`)),
        fc.constantFrom('Bearer', 'Bearer x.y.z', 'Basic Zm9vOmJhcg=='),
        printable(60),
      ),
      'content-type': fc.oneof(fc.constantFrom(...CONTENT_TYPES), printable(30)),
      'x-request-id': printable(80),
      accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml'),
      'content-encoding': fc.constantFrom('identity', 'gzip', 'br', 'x-unknown'),
      'x-forwarded-for': fc.constantFrom('203.0.113.7', 'not-an-ip', '1.1.1.1, 2.2.2.2'),
    },
    { requiredKeys: [] },
  );
  return fc
    .record({
      route: fc.constantFrom(...ROUTES),
      otherMethod: fc.option(fc.constantFrom(...METHODS), { freq: 5 }),
      id,
      query,
      headers,
      body,
    })
    .map(({ route, otherMethod, id, query, headers, body }) => {
      const method = otherMethod ?? route[0];
      const request: FuzzRequest = { method, path: route[1].replace('{id}', id) + query, headers };
      // fetch refuses a body on GET and HEAD.
      if (body !== undefined && method !== 'GET' && method !== 'HEAD') request.body = body;
      return request;
    });
}

/** Everything a rejected request could have changed: the dashboard, every product (deleted too), every user. */
async function snapshot(server: TestServer): Promise<string> {
  const { catalog } = server;
  const products: unknown[] = [];
  for await (const product of catalog.products.iterate({ include_deleted: true }, { actor: SYSTEM_ACTOR }))
    products.push(product);
  const users: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.users.list({ limit: 100, ...(cursor ? { cursor } : {}) }, { actor: SYSTEM_ACTOR });
    users.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return JSON.stringify({ summary: await catalog.dashboard.summary(), products, users });
}

/** Returns what is wrong with the answer to `request`, or null. */
function judge(request: FuzzRequest, response: Response, text: string): string | null {
  if (response.status >= 500) return `answered ${response.status}: ${text}`;
  if (response.status < 400 || request.method === 'HEAD') return null;
  if (LEAKS.test(text)) return `leaks internals: ${text}`;
  const type = response.headers.get('content-type') ?? '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `error body is not JSON: ${text}`;
  }
  if (request.path.startsWith('/auth/token') && request.method === 'POST' && type.startsWith('application/json')) {
    return response.status === 400 && OAuthErrorSchema.safeParse(body).success
      ? null
      : `bad OAuth2 error ${response.status}: ${text}`;
  }
  if (!type.startsWith('application/problem+json')) return `error with content-type ${type}`;
  const problem = ProblemSchema.safeParse(body);
  if (!problem.success) return `not a problem: ${text}`;
  if (problem.data.status !== response.status) return `problem status ${problem.data.status} on a ${response.status}`;
  if (problem.data.request_id !== response.headers.get('x-request-id'))
    return 'problem request_id differs from X-Request-Id';
  return null;
}

for (const db of testDatabases()) {
  test(`fuzzed requests on every endpoint: no 5xx, no leak, problem+json errors, nothing changed by a rejection [${db.name}]`, async (t) => {
    const server = serverFor(db);
    const admin = await signedIn(server, 'admin');
    const user = await signedIn(server, 'user');
    await server.catalog.products.createMany(
      Array.from({ length: 12 }, (_, i) => ({
        name: `Fuzz ${i}`,
        category: i % 2 ? 'odd' : 'even',
        price: i * 1.25,
        rating: i % 3 ? (i % 5) + 0.5 : null,
      })),
      { actor: SYSTEM_ACTOR },
    );
    const ids = (await server.catalog.products.list({ limit: 12 }, { actor: SYSTEM_ACTOR })).data.map((p) => p.id);
    await server.catalog.products.delete(ids[0] as string, { actor: SYSTEM_ACTOR });
    const tokens = [admin.access_token, user.access_token, admin.refresh_token];

    await fc.assert(
      fc.asyncProperty(requests(ids, tokens), async (request) => {
        const before = await snapshot(server);
        const response = await fetch(`${server.url}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          redirect: 'manual',
        });
        const text = await response.text();
        const problem = judge(request, response, text);
        if (problem) throw new Error(`${request.method} ${request.path}: ${problem}`);
        if (response.status >= 400 && (await snapshot(server)) !== before)
          throw new Error(
            `${request.method} ${request.path} was rejected (${response.status}) but changed the database`,
          );
      }),
      { numRuns: RUNS },
    );
    t.pass(`${RUNS} fuzzed requests`);
  });
}
