import type { CatalogClient } from '@catalog/client';

/** The most changes `GET /changes` returns at once. */
const PAGE = 100;

/**
 * A cursor at the current end of the change feed: watching from it delivers only changes written
 * from now on. The API has no "end of the feed" request, so this walks the feed's pages to the last
 * one (`next_cursor` is never null and, on the last page, points after its last change): one request
 * per 100 changes the server keeps. That is quick for a demo catalog; a busy catalog keeping 30 days
 * of changes would want the server to answer it in one request (see README, "Live updates").
 * @throws {CatalogApiError} as `changes.list` (401 when not signed in).
 */
export async function feedEnd(client: CatalogClient, signal: AbortSignal): Promise<string> {
  let page = await client.changes.list({ limit: PAGE }, { signal });
  while (page.has_more) page = await client.changes.list({ limit: PAGE, cursor: page.next_cursor }, { signal });
  return page.next_cursor;
}
