import type { Change } from '@catalog/contract';
import type { Catalog } from '../../src/index.js';

/**
 * Reads the feed after `cursor` until it holds at least `count` changes (at most `timeoutMs`).
 * On PostgreSQL a committed change becomes readable once every older write transaction on the
 * server has ended, and the test server runs other suites' transactions meanwhile: a test waits
 * for what it expects instead of reading once. Extra changes are returned, for the test to see.
 */
export async function readChanges(
  catalog: Catalog,
  count: number,
  cursor?: string,
  timeoutMs = 20_000,
): Promise<{ changes: Change[]; cursor: string }> {
  const changes: Change[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = await catalog.changes.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    changes.push(...page.data);
    cursor = page.next_cursor;
    if (page.has_more) continue;
    if (changes.length >= count || Date.now() > deadline) return { changes, cursor };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
