import { FEED_END, type CatalogClient } from '@catalog/client';

/**
 * A cursor at the current end of the change feed (`GET /changes?cursor=now`, one request): watching
 * from it delivers only changes written from now on.
 * @throws {CatalogApiError} as `changes.list` (401 when not signed in).
 */
export async function feedEnd(client: CatalogClient, signal: AbortSignal): Promise<string> {
  return (await client.changes.list({ cursor: FEED_END }, { signal })).next_cursor;
}
