import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { json, problems } from './responses.js';

const Status = (value: string) => z.object({ status: z.literal(value) });

/** Health probes and the documentation itself. */
export function registerOpsPaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    tags: ['ops'],
    summary: 'Liveness probe',
    description: 'Answers 200 while the process serves requests; checks nothing else.',
    security: [],
    responses: { 200: json('Alive', Status('ok')), ...problems() },
  });

  registry.registerPath({
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    tags: ['ops'],
    summary: 'Readiness probe',
    description: 'Answers 200 when the database answers, 503 when it does not or the server is shutting down.',
    security: [],
    responses: { 200: json('Ready', Status('ready')), ...problems(503) },
  });

  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    tags: ['ops'],
    summary: 'This OpenAPI 3.1 document',
    security: [],
    responses: { 200: json('The OpenAPI document', z.record(z.string(), z.unknown())), ...problems() },
  });

  registry.registerPath({
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    tags: ['ops'],
    summary: 'Swagger UI for this API',
    description: 'Interactive documentation; its Authorize button signs in through /auth/token.',
    security: [],
    responses: {
      200: { description: 'The Swagger UI page', content: { 'text/html': { schema: { type: 'string' } } } },
      ...problems(),
    },
  });
}
