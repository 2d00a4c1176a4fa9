import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerAuthPaths } from './auth-paths.js';
import { documentIdempotencyKeys } from './idempotency.js';
import { documentReadYourWrites } from './read-your-writes.js';
import { registerChangePaths } from './change-paths.js';
import { registerOpsPaths } from './ops-paths.js';
import { registerProductPaths } from './product-paths.js';
import { registerUserPaths } from './user-paths.js';
import { HEADER_COMPONENTS } from './responses.js';
import { nameContractSchemas, namedSchemas } from './schemas.js';

/** An OpenAPI 3.1 document (plain JSON). */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export interface OpenApiOptions {
  /** Whether GET /products and GET /products/{id} are open to anonymous callers. */
  publicRead?: boolean;
  /** Whether GET /metrics is served (default true). */
  metrics?: boolean;
  /** `info.version` (default: the server package version). */
  version?: string;
}

const DESCRIPTION = `Catalog's REST API: products with keyset-cursor pagination, a dashboard, and password + token authentication.

Errors are RFC 9457 problem details (\`application/problem+json\`) with a stable \`code\` and the \`request_id\`.
Sign in with **Authorize** (OAuth2 password flow, or paste an access token under bearerAuth).`;

/**
 * Builds the OpenAPI 3.1 document of the API from the contract's zod schemas: every route, its
 * parameters, bodies and real responses (errors included), and the security schemes.
 *
 * @example
 * const doc = buildOpenApiDocument({ publicRead: false });
 * doc.paths['/products'].get.responses['422'];
 */
export function buildOpenApiDocument(options: OpenApiOptions = {}): OpenApiDocument {
  nameContractSchemas();
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from /auth/login, /auth/token or /auth/refresh.',
  });
  registry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The CATALOG_METRICS_TOKEN of the server, for GET /metrics only.',
  });
  registry.registerComponent('securitySchemes', 'oauth2', {
    type: 'oauth2',
    description: 'OAuth2 password flow: sign in with email (as username) and password.',
    flows: { password: { tokenUrl: '/auth/token', refreshUrl: '/auth/token', scopes: {} } },
  });
  for (const [name, header] of Object.entries(HEADER_COMPONENTS)) registry.registerComponent('headers', name, header);
  registerAuthPaths(registry);
  registerProductPaths(registry, options.publicRead ?? false);
  registerUserPaths(registry);
  registerChangePaths(registry);
  registerOpsPaths(registry, options.metrics ?? true);

  const generator = new OpenApiGeneratorV31([...registry.definitions, ...namedSchemas()]);
  const document = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Catalog API',
      version: options.version ?? '0.1.0',
      description: DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: [
      { name: 'auth', description: 'Accounts and tokens' },
      { name: 'users', description: 'Account administration (admins)' },
      { name: 'products', description: 'The product catalog' },
      { name: 'changes', description: 'The change feed: every product write, in order' },
      { name: 'dashboard', description: 'Aggregates over the catalog' },
      { name: 'ops', description: 'Health probes, metrics and documentation' },
    ],
  });
  return documentReadYourWrites(documentIdempotencyKeys(fixNullableRefs(document) as OpenApiDocument));
}

/**
 * zod-to-openapi writes a nullable named schema as `allOf: [$ref, {type: [object, null]}]`,
 * which no value satisfies when it is null (the $ref still applies). Rewrite it as what it
 * means: `oneOf: [$ref, {type: null}]`.
 */
function fixNullableRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fixNullableRefs);
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  const allOf = record.allOf;
  if (Array.isArray(allOf) && allOf.length === 2 && isRef(allOf[0]) && isNullType(allOf[1])) {
    const { allOf: _dropped, ...rest } = record;
    return { ...rest, oneOf: [allOf[0], { type: 'null' }] };
  }
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fixNullableRefs(value)]));
}

function isRef(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { $ref?: unknown }).$ref === 'string';
}

function isNullType(value: unknown): boolean {
  const type = (value as { type?: unknown } | null)?.type;
  return Array.isArray(type) && type.includes('null') && Object.keys(value as object).length === 1;
}
