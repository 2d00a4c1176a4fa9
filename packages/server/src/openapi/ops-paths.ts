import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { json, problems, text } from './responses.js';

const Status = (value: string) => z.object({ status: z.literal(value) });

/** One database as the replica monitor last found it (db/replica-set.ts in core). */
const DatabaseStatus = z.object({
  role: z.enum(['primary', 'replica']),
  name: z.string().describe('host:port/database'),
  reachable: z.boolean(),
  in_rotation: z.boolean().optional().describe('Replicas: whether reads go to it now'),
  lag_ms: z.number().nullable().optional().describe('Replicas: how far behind the primary it is; null if unknown'),
  lsn: z.string().nullable().optional().describe('The primary’s WAL position; a replica’s last replayed one'),
});

const Readiness = Status('ready').extend({
  databases: z
    .array(DatabaseStatus)
    .optional()
    .describe('With read replicas (CATALOG_DATABASE_REPLICA_URLS) only: the primary, then each replica'),
});

/** Health probes, metrics and the documentation itself; `metrics` false leaves /metrics out. */
export function registerOpsPaths(registry: OpenAPIRegistry, metrics: boolean): void {
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
    description:
      'Answers 200 when the database (the primary) answers, 503 when it does not or the server is shutting down. ' +
      'With read replicas, lists each database, reachable or not and in rotation or not (a lost replica does not ' +
      'make the server unready: reads fall back to the primary).',
    security: [],
    responses: { 200: json('Ready', Readiness), ...problems(503) },
  });

  if (metrics) {
    registry.registerPath({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      tags: ['ops'],
      summary: 'Prometheus metrics',
      description:
        'Request counts and durations by route template and status, database statement durations, rate-limit refusals, ' +
        'idempotent replays, open SSE streams, and the Node process metrics, in the Prometheus text format. ' +
        'With CATALOG_METRICS_TOKEN set, any client may read them with that token as a bearer token; ' +
        'without it, only clients on the loopback interface may (no token), and others get 404.',
      security: [{ metricsToken: [] }],
      responses: {
        200: text('The metrics (Prometheus text exposition format 0.0.4)', 'text/plain; version=0.0.4; charset=utf-8'),
        ...problems(401, 404),
      },
    });
  }

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
