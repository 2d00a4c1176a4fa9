import assert from 'node:assert/strict';
import { paginate, type Page, type SortKey } from '../../../src/cursor/index.js';
import { ProductEntity, type ProductRecord } from '../../../src/db/entities.js';
import type { CursorDatabase } from './database.js';
import { whereOf, type Filters } from './model.js';

/** One listing query: what every page of a walk shares. */
export interface Listing {
  sort: SortKey[];
  filters: Filters;
  limit: number;
}

/** Fetches one page of `listing` with a fresh EntityManager, as a service call would. */
export function fetchPage(db: CursorDatabase, listing: Listing, cursor?: string): Promise<Page<ProductRecord>> {
  const options = {
    where: whereOf(listing.filters),
    sort: listing.sort,
    limit: listing.limit,
    cursor,
    filters: listing.filters,
  };
  return paginate<ProductRecord>(db.em(), ProductEntity, options, db.codec);
}

export const ids = (page: Page<ProductRecord>) => page.data.map((row) => row.id);

/** Checks what SPEC §3 says of every page's own shape. */
export function assertPageShape(page: Page<ProductRecord>, limit: number): void {
  assert.ok(page.data.length <= limit, `page of ${page.data.length} rows exceeds limit ${limit}`);
  assert.equal(page.next_cursor !== null, page.has_more, 'next_cursor is null exactly when has_more is false');
  assert.equal(new Set(ids(page)).size, page.data.length, 'a page repeats a row');
}

/**
 * Walks from the first page to the last, calling `between` before each following fetch (to
 * change the data mid-walk). Returns every page in the order fetched.
 */
export async function walkForward(
  db: CursorDatabase,
  listing: Listing,
  between?: () => Promise<void>,
): Promise<Page<ProductRecord>[]> {
  const pages = [await fetchPage(db, listing)];
  assert.equal(pages[0]!.prev_cursor, null, 'the first page has no prev_cursor');
  for (let page = pages[0]!; page.next_cursor !== null;) {
    assertPageShape(page, listing.limit);
    await between?.();
    page = await fetchPage(db, listing, page.next_cursor);
    assert.notEqual(page.prev_cursor, null, 'a page reached by next_cursor has rows before it');
    pages.push(page);
  }
  assertPageShape(pages.at(-1)!, listing.limit);
  return pages;
}

/** Walks back from `last` through `prev_cursor` until none is left; returns the pages fetched (nearest first). */
export async function walkBackward(
  db: CursorDatabase,
  listing: Listing,
  last: Page<ProductRecord>,
  between?: () => Promise<void>,
): Promise<Page<ProductRecord>[]> {
  const pages: Page<ProductRecord>[] = [];
  for (let cursor = last.prev_cursor; cursor !== null;) {
    await between?.();
    const page = await fetchPage(db, listing, cursor);
    assertPageShape(page, listing.limit);
    assert.equal(page.has_more, true, 'a page reached by prev_cursor has rows after it');
    pages.push(page);
    cursor = page.prev_cursor;
  }
  return pages;
}
