import { ChangeListQuerySchema, ChangeStreamQuerySchema, FEED_END } from '@catalog/contract';
import { authenticate } from '../auth.js';
import { sendEventStream } from '../http/event-stream.js';
import { parseQuery } from '../query.js';
import type { AppRouter, RouteDeps } from './deps.js';

/** GET /changes (pages of the feed) and GET /changes/stream (the feed as Server-Sent Events). */
export function changeRoutes(router: AppRouter, { catalog, config, closing, logger, metrics }: RouteDeps): void {
  const user = authenticate(catalog);

  router.get('/changes', user, async (ctx) => {
    const query = parseQuery(ChangeListQuerySchema, ctx.query);
    ctx.body = await catalog.changes.list(query);
    ctx.set('Cache-Control', 'no-store');
  });

  router.get('/changes/stream', user, async (ctx) => {
    const query = parseQuery(ChangeStreamQuerySchema, ctx.query);
    const requested = ctx.get('Last-Event-ID') || query.cursor;
    // A bad or expired cursor is answered as a problem, before the stream starts; `now` is pinned
    // to the end this read found, so the stream starts there and the end is not looked up twice.
    const first = await catalog.changes.list({ limit: 1, ...(requested ? { cursor: requested } : {}) });
    const cursor = requested === FEED_END ? first.next_cursor : requested;
    sendEventStream(
      ctx,
      async function* (signal) {
        for await (const change of catalog.changes.watch({ cursor, type: query.type, signal })) {
          yield { id: change.id, event: change.type, data: change };
        }
      },
      {
        heartbeatMs: config.changesHeartbeatMs,
        closing,
        logger,
        onOpen: () => metrics?.sseOpened(),
        onClose: () => metrics?.sseClosed(),
      },
    );
  });
}
