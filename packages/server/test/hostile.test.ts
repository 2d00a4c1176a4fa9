import { request } from 'node:http';
import test from 'ava';
import { call, serversFor, signedIn, testDatabases, type TestServer } from './helpers.js';

const serverFor = serversFor(test);

interface Raw {
  status: number;
  type: string;
  body: string;
}

/** A request sent byte for byte (fetch would normalise paths and refuse some headers). */
function raw(
  server: TestServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const LEAKS = /\bat [\w.<>]+ \(|node_modules|select |insert |update |sqlite|postgres|relation "|stack/i;

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const BODIES: (string | Buffer)[] = [
  'null',
  '[]',
  '[1,2,3]',
  '{}',
  deep(5000),
  `{"a":${deep(2000)}}`,
  '{"name":"x","category":"y","price":1e400}',
  '{"name":"x","category":"y","price":"12"}',
  '{"name":"\\u0000","category":"\\ud800","price":-0}',
  '{"name":{"$gt":""},"category":["a"],"price":true,"rating":"NaN"}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"email":"a@example.com","password":"xxxxxxxx","role":"admin"}',
  '{"refresh_token":{"$ne":null}}',
  '{"email":"a\\u0000@example.com","password":"x\\u0000xxxxxxx","refresh_token":"\\u0000"}',
  `{"name":"${'n'.repeat(90 * 1024)}","category":"c","price":1}`,
  Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
];

const PATHS = [
  '/products/%E0%A4%A',
  '/products/%00',
  `/products/${'9'.repeat(5000)}`,
  '/products/%F0%9F%99%82',
  '/products/..%2F..%2Fetc%2Fpasswd',
  '/products?search=%00%25_%5C',
  `/products?search=${'s'.repeat(10_000)}`,
  '/products?search=%E0%A4%A',
  '/products?limit=1e2&min_price=Infinity&max_price=-0&min_rating=0x10',
  `/products?cursor=${'A'.repeat(5000)}`,
  '/products?cursor=eyJ9&sort_by[]=x&a[b][c]=1',
  '/products?category=%F0%9F%99%82&sort_by=name&sort_order=asc',
  '/products?include_deleted=true&limit=100',
  '/dashboard/summary?x=1',
  '/auth/me/',
  '//products',
  '/docs/%2e%2e%2fpackage.json',
  '/openapi.json/..',
];

function check(t: import('ava').ExecutionContext, label: string, response: Raw): void {
  t.true(response.status < 500, `${label} → ${response.status} ${response.body.slice(0, 200)}`);
  if (response.status >= 400) {
    t.true(/^application\/(problem\+)?json/.test(response.type), `${label} → ${response.type}`);
    t.false(LEAKS.test(response.body), `${label} leaks: ${response.body.slice(0, 300)}`);
  }
}

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`hostile JSON bodies never produce a 5xx or leak internals ${tag}`, async (t) => {
    const server = serverFor(db);
    const { access_token } = await signedIn(server, 'admin');
    const created = (await (
      await call(server, 'POST', '/products', {
        token: access_token,
        json: { name: 'Target', category: 'c', price: 1 },
      })
    ).json()) as { id: string };
    const targets: [string, string][] = [
      ['POST', '/auth/register'],
      ['POST', '/auth/login'],
      ['POST', '/auth/refresh'],
      ['POST', '/auth/logout'],
      ['POST', '/products'],
      ['PUT', `/products/${created.id}`],
      ['PATCH', `/products/${created.id}`],
    ];
    for (const [method, path] of targets) {
      for (const body of BODIES) {
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${access_token}` };
        check(t, `${method} ${path} ${String(body).slice(0, 40)}`, await raw(server, method, path, headers, body));
      }
    }
    // Nothing above changed the target product.
    const after = (await (
      await call(server, 'GET', `/products/${created.id}`, { token: access_token })
    ).json()) as Record<string, unknown>;
    t.like(after, { name: 'Target', category: 'c', price: 1 });
  });

  test(`hostile paths, queries and headers never produce a 5xx ${tag}`, async (t) => {
    const server = serverFor(db);
    const { access_token } = await signedIn(server, 'user');
    for (const path of PATHS) {
      check(t, `GET ${path.slice(0, 60)}`, await raw(server, 'GET', path, { authorization: `Bearer ${access_token}` }));
      check(t, `anonymous GET ${path.slice(0, 60)}`, await raw(server, 'GET', path, {}));
    }
    const headerCases: Record<string, string>[] = [
      { authorization: `Bearer ${'a'.repeat(8000)}` },
      { authorization: 'Bearer ' },
      { authorization: 'Bearer a.b.c' },
      { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
      { authorization: 'bearer\t\tx' },
      { 'x-request-id': '\u00e9t\u00e9' },
      { 'x-forwarded-for': '1.2.3.4, <script>' },
    ];
    for (const headers of headerCases)
      check(t, JSON.stringify(headers).slice(0, 60), await raw(server, 'GET', '/products', headers));
    const forms = [
      'grant_type=password&username=a%00b&password=x%00',
      'grant_type=refresh_token&refresh_token=%00',
      'grant_type=password&username[a]=1&password=x',
      'grant_type[]=password',
      '%%%',
      'grant_type=refresh_token&refresh_token=' + 'r'.repeat(50_000),
    ];
    for (const form of forms) {
      check(
        t,
        `token ${form.slice(0, 40)}`,
        await raw(server, 'POST', '/auth/token', { 'content-type': 'application/x-www-form-urlencoded' }, form),
      );
    }
  });
}
