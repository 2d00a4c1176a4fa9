import { LRUCache } from 'lru-cache';
import type { RowReader } from '../db/row-reader.js';

/**
 * The state of the trigram index: two of FTS5's own records in its `_data` shadow table — the
 * structure record (id 10: its segments and a write counter, which every flush of a write —
 * trigger, bulk insert, merge — advances) and the averages record (id 1: its row and token
 * totals) — and the highest rowid of products. A 'rebuild' starts the write counter again; the
 * rebuild docs/search.md asks for after rowids were renumbered (by a VACUUM) follows a renumbering
 * that closed gaps, and so lowered the highest rowid. Three seeks. While the state is the same, so
 * is the answer of every query of the index.
 */
const INDEX_STATE_SQL = `select (select coalesce(max(rowid), 0) from products) || ':' || group_concat(hex(block), ':')
  as state from (select block from products_search_data where id in (1, 10) order by id)`;

/** Answers remembered per reader (a database a process has open); few terms are searched often. */
const MAX_REMEMBERED = 256;

interface Remembered {
  state: string;
  rowids: number[] | undefined;
}

const remembered = new WeakMap<RowReader, LRUCache<string, Remembered>>();

/**
 * Where the rowids of an FTS5 query are remembered until the trigram index changes. The query of
 * a rare term's candidates intersects doclists of tens of thousands of entries each and costs far
 * more than the page it selects, while the state is one seek.
 */
export interface IndexMatches {
  /** The rowids matching an FTS5 query, or undefined when there are more than `limit`. */
  rowids(query: string, limit: number): Promise<number[] | undefined>;
}

/**
 * The index's matches as of now, queried through `read`; the state (a seek) is read through
 * `bounded`. The state is read first, so an answer read after it is at least
 * as new, and one remembered under an older state is only used while the state is unchanged —
 * i.e. while no write reached the index since it was read. A remembered answer is therefore the
 * answer the query would give; the page query's LIKE still decides what matches.
 */
export async function indexMatches(read: RowReader, bounded: RowReader = read): Promise<IndexMatches> {
  const [row] = await bounded<{ state: string | null }>(INDEX_STATE_SQL);
  const state = row?.state ?? '';
  let cache = remembered.get(read);
  if (!cache) remembered.set(read, (cache = new LRUCache<string, Remembered>({ max: MAX_REMEMBERED })));
  const memo = cache;
  return {
    async rowids(query, limit) {
      const key = `${limit} ${query}`;
      const known = memo.get(key);
      if (known?.state === state) return known.rowids;
      const rows = await read<{ rowid: number }>(
        'select rowid from products_search where products_search match ? limit ?',
        [query, limit + 1],
      );
      const rowids = rows.length > limit ? undefined : rows.map((r) => Number(r.rowid));
      memo.set(key, { state, rowids });
      return rowids;
    },
  };
}
