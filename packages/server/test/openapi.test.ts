import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { buildOpenApiDocument } from '../src/index.js';
import { call, serversFor, testDatabases } from './helpers.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverFor = serversFor(test);

/** Every row of the SPEC §4, §4.1 and §4.3 tables, and /metrics (§4.4). */
const SPEC_ROUTES = [
  'post /auth/register',
  'post /auth/login',
  'post /auth/token',
  'post /auth/refresh',
  'post /auth/logout',
  'post /auth/password',
  'get /auth/me',
  'get /users',
  'patch /users/{id}',
  'post /products',
  'post /products/bulk',
  'get /products',
  'get /products/{id}',
  'put /products/{id}',
  'patch /products/{id}',
  'delete /products/{id}',
  'post /products/{id}/restore',
  'get /changes',
  'get /changes/stream',
  'get /dashboard/summary',
  'get /healthz',
  'get /readyz',
  'get /metrics',
  'get /openapi.json',
  'get /docs',
];

type Operation = {
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  security?: unknown[];
};
const operations = (doc: ReturnType<typeof buildOpenApiDocument>) =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => [`${method} ${path}`, op] as const),
  );

test('the document describes exactly the SPEC routes', (t) => {
  const doc = buildOpenApiDocument();
  t.is(doc.openapi, '3.1.0');
  t.deepEqual(
    operations(doc)
      .map(([route]) => route)
      .sort(),
    [...SPEC_ROUTES].sort(),
  );
});

test('error responses are problem+json with the Problem schema, and every route that needs a token documents 401', (t) => {
  const doc = buildOpenApiDocument();
  for (const [route, op] of operations(doc)) {
    t.truthy(op.responses['500'], `${route} documents 500`);
    for (const [status, response] of Object.entries(op.responses)) {
      if (Number(status) < 400 || (route === 'post /auth/token' && status === '400')) continue;
      t.is(
        response.content?.['application/problem+json']?.schema?.$ref,
        '#/components/schemas/Problem',
        `${route} ${status}`,
      );
    }
    if (JSON.stringify(op.security) !== '[]') t.truthy(op.responses['401'], `${route} needs a token, so documents 401`);
  }
  t.is(
    operations(doc).find(([route]) => route === 'post /auth/token')?.[1].responses['400']?.content?.['application/json']
      ?.schema?.$ref,
    '#/components/schemas/OAuthError',
  );
});

test('every response of the rate-limited routes documents the RateLimit headers', (t) => {
  const doc = buildOpenApiDocument();
  const limited = [
    'post /auth/register',
    'post /auth/login',
    'post /auth/token',
    'post /auth/refresh',
    'post /auth/password',
  ];
  for (const [route, op] of operations(doc)) {
    for (const [status, response] of Object.entries(op.responses)) {
      const headers = Object.keys((response as { headers?: object }).headers ?? {});
      const documented = headers.includes('RateLimit') && headers.includes('RateLimit-Policy');
      t.is(documented, limited.includes(route), `${route} ${status}`);
    }
  }
  t.truthy(doc.components?.headers?.['RateLimit-Policy']);
});

test('conditional reads document If-None-Match, ETag, Cache-Control and 304; product writes If-Match, 412 and 428', (t) => {
  const doc = buildOpenApiDocument() as unknown as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { name: string; in: string }[];
          responses: Record<string, { headers?: Record<string, unknown> }>;
        }
      >
    >;
  };
  const header = (path: string, method: string) =>
    (doc.paths[path]?.[method]?.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
  for (const [path, method] of [
    ['/products', 'get'],
    ['/products/{id}', 'get'],
    ['/dashboard/summary', 'get'],
  ] as const) {
    const { responses } = doc.paths[path]![method]!;
    t.deepEqual(header(path, method), ['If-None-Match'], `${method} ${path}`);
    t.truthy(responses['200']?.headers?.ETag);
    t.truthy(responses['200']?.headers?.['Cache-Control']);
    t.truthy(responses['304']?.headers?.ETag);
  }
  for (const [path, method] of [
    ['/products/{id}', 'put'],
    ['/products/{id}', 'patch'],
    ['/products/{id}', 'delete'],
    ['/products/{id}/restore', 'post'],
  ] as const) {
    const { responses } = doc.paths[path]![method]!;
    t.deepEqual(header(path, method), ['If-Match'], `${method} ${path}`);
    t.truthy(responses['412'] && responses['428'], `${method} ${path}`);
    if (method !== 'delete') t.truthy(responses['200']?.headers?.ETag);
  }
  t.truthy(doc.paths['/products/bulk']?.post?.responses['422']);
});

test('security schemes: bearer JWT and the OAuth2 password flow on /auth/token', (t) => {
  const schemes = buildOpenApiDocument().components?.securitySchemes as unknown as Record<
    string,
    Record<string, unknown>
  >;
  t.like(schemes.bearerAuth, { type: 'http', scheme: 'bearer' });
  t.deepEqual((schemes.oauth2 as { flows: unknown }).flows, {
    password: { tokenUrl: '/auth/token', refreshUrl: '/auth/token', scopes: {} },
  });
});

test('public read opens only the two product reads in the document', (t) => {
  const open = operations(buildOpenApiDocument({ publicRead: true }))
    .filter(([, op]) => JSON.stringify(op.security).includes('{}'))
    .map(([route]) => route);
  t.deepEqual(open.sort(), ['get /products', 'get /products/{id}']);
});

test('with metrics turned off the document leaves /metrics out', (t) => {
  const routes = (metrics: boolean) => operations(buildOpenApiDocument({ metrics })).map(([route]) => route);
  t.true(routes(true).includes('get /metrics'));
  t.false(routes(false).includes('get /metrics'));
});

test('named contract schemas are components, and nullable ones are oneOf [$ref, null]', (t) => {
  const doc = buildOpenApiDocument();
  const schemas = doc.components?.schemas as Record<string, { properties?: Record<string, unknown> }>;
  for (const name of [
    'Product',
    'ProductInput',
    'ProductPatch',
    'ProductPage',
    'User',
    'TokenResponse',
    'DashboardSummary',
    'Problem',
    'OAuthError',
  ]) {
    t.truthy(schemas[name], name);
  }
  t.deepEqual(schemas.DashboardSummary?.properties?.highest_priced_product, {
    oneOf: [{ $ref: '#/components/schemas/Product' }, { type: 'null' }],
  });
});

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: packageDir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('redocly lint (recommended rules) finds no errors in the served document', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-openapi-'));
  try {
    const [db] = testDatabases();
    const served = await (await call(serverFor(db!), 'GET', '/openapi.json')).json();
    t.deepEqual(served, JSON.parse(JSON.stringify(buildOpenApiDocument())));
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(served, null, 2));
    const { code, output } = await run('npx', ['redocly', 'lint', '--config', join(packageDir, 'redocly.yaml'), file]);
    t.is(code, 0, output);
    t.regex(output, /valid/i);
    t.notRegex(output, /\d+ errors?\b/, output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`/docs serves Swagger UI from local files, pointed at /openapi.json ${tag}`, async (t) => {
    const server = serverFor(db);
    const page = await call(server, 'GET', '/docs');
    t.is(page.status, 200);
    t.is(page.headers.get('content-type'), 'text/html; charset=utf-8');
    t.true((page.headers.get('content-security-policy') ?? '').includes("script-src 'self'"));
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1] as string);
    t.deepEqual(scripts, ['/docs/swagger-ui-bundle.js', '/docs/swagger-initializer.js']);
    t.false(/https?:\/\//.test(html), 'no CDN');
    const bundle = await call(server, 'GET', '/docs/swagger-ui-bundle.js');
    t.is(bundle.status, 200);
    t.is(bundle.headers.get('content-type'), 'text/javascript; charset=utf-8');
    t.true((await bundle.text()).includes('SwaggerUIBundle'));
    const css = await call(server, 'GET', '/docs/swagger-ui.css');
    t.is(css.status, 200);
    await css.arrayBuffer();
    const initializer = await (await call(server, 'GET', '/docs/swagger-initializer.js')).text();
    t.true(initializer.includes("url: '/openapi.json'"));
  });
}
