import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ChangeListQuerySchema, ChangePageSchema, ChangeStreamQuerySchema } from '@catalog/contract';
import { z } from 'zod';
import { SIGNED_IN } from './auth-paths.js';
import { json, problems } from './responses.js';

const EVENT_STREAM = `Server-Sent Events, one per change, oldest first:

\`\`\`
id: <the change's id: a cursor that resumes after it>
event: product.created | product.updated | product.deleted | product.restored
data: <the change as JSON (the Change schema)>
\`\`\`

A comment line (\`: heartbeat\`) is sent while nothing else is, every 15 s by default.`;

const LastEventId = z.object({
  'Last-Event-ID': z
    .string()
    .optional()
    .describe('The `id` of the last event received: the stream resumes after it (wins over `cursor`).'),
});

/** The change feed: pages and the live stream. */
export function registerChangePaths(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/changes',
    operationId: 'listChanges',
    tags: ['changes'],
    summary: 'A page of the change feed, oldest first',
    description:
      'Every product write (create, update, delete, restore, bulk create, import) appends one change per product, in the ' +
      "same transaction, with the product as the write left it. Pass `next_cursor` back as `cursor` to read on: it is never null, so at the end of the feed a client polls with it and gets only what is new. A change's `id` is the cursor after it. " +
      'A cursor whose position was pruned (older than the retention) is refused with 410 `cursor_expired`: start again without one. ' +
      '`cursor=now` asks for the current end of the feed: an empty page whose `next_cursor` is the position after the last change, ' +
      'for a client that wants only what happens from now on.',
    security: SIGNED_IN,
    request: { query: ChangeListQuerySchema },
    responses: { 200: json('A page of changes', ChangePageSchema), ...problems(400, 401, 410, 422, 503) },
  });

  registry.registerPath({
    method: 'get',
    path: '/changes/stream',
    operationId: 'streamChanges',
    tags: ['changes'],
    summary: 'The change feed as Server-Sent Events',
    description:
      'The changes after `Last-Event-ID` (or `cursor`, where `now` is the end of the feed when the stream opens; neither: from the oldest change kept), then each new one within a second ' +
      'of its commit, whichever process wrote it. Reconnecting with the last `id` received loses and repeats nothing. ' +
      'The stream ends when the server shuts down; reconnect.',
    security: SIGNED_IN,
    request: { query: ChangeStreamQuerySchema, headers: LastEventId },
    responses: {
      200: {
        description: 'The stream of changes',
        headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
        content: { 'text/event-stream': { schema: z.string().describe(EVENT_STREAM) } },
      },
      ...problems(400, 401, 410, 422, 503),
    },
  });
}
