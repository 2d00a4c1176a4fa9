import test from 'ava';
import { buildOpenApiDocument } from '../src/index.js';

/* The OpenAPI document describes Idempotency-Key on every write (openapi/idempotency.ts). */

interface Operation {
  parameters?: { $ref?: string; name?: string; in?: string }[];
  responses: Record<string, { description: string; headers?: Record<string, unknown> }>;
}

test('every POST, PUT, PATCH and DELETE takes the Idempotency-Key header and documents its 409 and 422', (t) => {
  const doc = buildOpenApiDocument();
  const parameters = doc.components?.parameters as unknown as Record<string, Record<string, unknown>>;
  t.like(parameters['Idempotency-Key'], { name: 'Idempotency-Key', in: 'header', required: false });
  t.like(parameters['Idempotency-Key']?.schema, { minLength: 1, maxLength: 255 });
  t.truthy(doc.components?.headers?.['Idempotent-Replayed']);
  let writes = 0;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      const keyed = (operation.parameters ?? []).some((p) => p.$ref === '#/components/parameters/Idempotency-Key');
      const route = `${method} ${path}`;
      if (method === 'get') {
        t.false(keyed, route);
        continue;
      }
      writes++;
      t.true(keyed, route);
      t.regex(operation.responses['409']?.description ?? '', /idempotency_key_in_flight/, route);
      t.truthy(operation.responses['409']?.headers?.['Retry-After'], route);
      t.regex(operation.responses['422']?.description ?? '', /idempotency_key_reused/, route);
      const success = Object.keys(operation.responses).find((status) => status.startsWith('2'))!;
      t.truthy(operation.responses[success]?.headers?.['Idempotent-Replayed'], `${route} ${success}`);
      t.falsy(operation.responses['500']?.headers?.['Idempotent-Replayed'], `${route} 500 is never replayed`);
    }
  }
  t.is(writes, 13);
});
