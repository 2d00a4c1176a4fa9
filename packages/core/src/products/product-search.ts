import type { RowReader } from '../db/row-reader.js';
import type { ProductSortBy } from '@catalog/contract';
import type { DatabaseKind } from '../config.js';
import { indexMatches } from './product-search-matches.js';
import { shortTermMayMatch } from './product-search-short.js';
import { estimateMatches, rarestTrigrams, termTrigrams, trigramDocCounts, TRIGRAM } from './product-search-trigrams.js';

export { TRIGRAM } from './product-search-trigrams.js';

/** An FTS5 phrase query matching `term` literally. */
export function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/**
 * How a listing finds the rows whose folded name contains its search term. All read the page
 * under the same conditions (the LIKE decides what matches, productWhere), in the same order and
 * from the same cursor, so they return the same pages; they differ in cost only.
 * - `candidates`: the rowids of every row that may match, from the trigram index. The page query
 *   reads those rows by rowid and sorts them: its cost follows the number of candidates.
 * - `scan`: no index of names. The page query walks the index of the listing's order, tests the
 *   LIKE on each row and stops when the page is full: its cost follows (page size) / (share of
 *   rows matching), as long as the matches are spread along the order.
 * - `indexed`: the page query walks the order's index and keeps the rows the trigram index
 *   names (a subquery SQLite materializes once): no table row is read for a row that does not
 *   match, so clustered or sparse matches cost an index walk, not a row read each.
 */
export type SearchPlan = { kind: 'candidates'; rowids: number[] } | { kind: 'scan' } | { kind: 'indexed' };

/** What the planner knows of the listing besides the term. */
export interface SearchListing {
  database: DatabaseKind;
  sortBy: ProductSortBy;
  /** Rows the page query reads at most: limit + 1. */
  wanted: number;
  /** Whether other conditions (filters, include_deleted) than the search narrow the listing. */
  filtered: boolean;
}

/**
 * Chooses the plan of a search; planSearch in production, a fixed plan in tests. `read` runs the
 * statements that may read much (trigram counts, the candidate query); `bounded` the seeks whose
 * cost is fixed (db/row-reader.ts), by default `read` too.
 */
export type SearchPlanner = (
  read: RowReader,
  term: string,
  listing: SearchListing,
  bounded?: RowReader,
) => Promise<SearchPlan>;

const SCAN: SearchPlan = { kind: 'scan' };
const INDEXED: SearchPlan = { kind: 'indexed' };

/**
 * Up to this many trigram candidates, a SQLite search reads the candidate rows by rowid and sorts
 * them; with more, the page query walks the order's index instead (docs/search.md).
 */
export const SEARCH_CANDIDATE_LIMIT = 2000;

/**
 * Reading a candidate row by rowid costs about this many rows of a walk along created_at: the
 * walk reads the table nearly in storage order (rows are stored as they are created), a
 * candidate is a seek (docs/search.md).
 */
const CANDIDATE_COST_IN_SCANNED_ROWS = 14;

/**
 * How many trigrams of a term the candidate query asks for. Each costs about its whole doclist;
 * past a few, the candidates hardly shrink while the cost keeps growing (docs/search.md).
 */
const MAX_QUERIED_TRIGRAMS = 4;
/** A trigram in this few rows is selective enough alone; the LIKE checks its rows. */
const RARE_ENOUGH = 200;

/**
 * The plan of a search for `term` (folded), chosen from the term's estimated number of matches
 * (docs/search.md):
 *
 * - PostgreSQL: always `scan`, i.e. the plain LIKE; PostgreSQL's own planner chooses between the
 *   pg_trgm GIN index and the order's index from its statistics.
 * - A term of one or two characters has no trigram: when no trigram or short name holds it
 *   (shortTermMayMatch), no row matches and the plan is an empty candidate list; else `scan`.
 * - Newest or oldest first with no other filter, when the estimate (estimateMatches) says a walk
 *   along created_at reads fewer rows than the candidates would cost — it reads about
 *   wanted × live / matches rows, the candidates cost about `matches` seeks — `scan`, without
 *   asking the trigram index anything more. Only in that order are the matches of a term spread
 *   evenly along the walk and its rows read in storage order: along name they cluster (every
 *   "Nordic Sage …" sorts together) and along price or rating each row is a seek.
 * - Else the candidates (searchCandidates), unless there are more than SEARCH_CANDIDATE_LIMIT:
 *   then `scan` along created_at (so many matches fill a page soon), `indexed` in other orders.
 *
 * A wrong estimate costs time, never a wrong page: every plan returns the same rows.
 */
export async function planSearch(
  read: RowReader,
  term: string,
  listing: SearchListing,
  bounded: RowReader = read,
): Promise<SearchPlan> {
  if (listing.database !== 'sqlite') return SCAN;
  const trigrams = termTrigrams(term);
  if (trigrams.length === 0) return (await shortTermMayMatch(read, term)) ? SCAN : { kind: 'candidates', rowids: [] };
  const walk = listing.sortBy === 'created_at' && !listing.filtered;
  const [docs, live] = await Promise.all([
    trigramDocCounts(
      read,
      trigrams.map((t) => t.text),
    ),
    liveRows(read),
  ]);
  const estimate = estimateMatches(trigrams, docs, live);
  if (walk && estimate * estimate * CANDIDATE_COST_IN_SCANNED_ROWS >= listing.wanted * live) return SCAN;
  const rowids = await searchCandidates(read, term, docs, SEARCH_CANDIDATE_LIMIT, bounded);
  if (rowids) return { kind: 'candidates', rowids };
  return walk ? SCAN : INDEXED;
}

/**
 * The plan of a count of a search's matches (include_total). A count reads every match, so a walk
 * that stops at a page helps it nothing: where the page is read by `scan`, the count asks the
 * trigram index for the matches (SQLite then reads just those rows by rowid).
 */
export function countingPlan(plan: SearchPlan, term: string, database: DatabaseKind): SearchPlan {
  return plan.kind === 'scan' && database === 'sqlite' && termTrigrams(term).length > 0 ? INDEXED : plan;
}

/**
 * How long the live row count is trusted. Like the trigram counts it only weighs the plans, never
 * decides what matches, so a count a few seconds old costs at most a slower plan, and a common
 * search runs its page statement alone.
 */
const LIVE_TTL_MS = 10_000;
const liveCounts = new WeakMap<RowReader, { rows: number; at: number }>();

/** Live products, from the totals every write keeps (product-stats.ts): one row, remembered LIVE_TTL_MS. */
async function liveRows(read: RowReader): Promise<number> {
  const known = liveCounts.get(read);
  if (known && Date.now() - known.at < LIVE_TTL_MS) return known.rows;
  const [row] = await read<{ n: number | string }>('select live_count as n from product_stats where id = 1');
  const rows = Number(row?.n ?? 0);
  liveCounts.set(read, { rows, at: Date.now() });
  return rows;
}

/**
 * On SQLite, the rowids of the rows whose folded name may contain `term` (of a trigram or more),
 * or undefined when there are more than SEARCH_CANDIDATE_LIMIT. The page query's LIKE decides
 * what matches, so the list may hold extra rows, never miss one.
 *
 * A phrase query for the whole term intersects the doclists of all its trigrams, and common
 * trigrams ("tic", " oa") are in a tenth of the rows or more, so their doclists are long.
 * Instead the candidates are the rows holding the term's few rarest trigrams (by the counts of the
 * fts5vocab table, migration 0011), AND-ed as separate tokens. Only when that superset overflows
 * the limit is the exact phrase asked, to tell "many near misses" from "many matches".
 *
 * Feeding a short list to the page query lets SQLite start from the candidates: given the subquery
 * instead, its planner walks the whole sort index and probes each row (docs/search.md). The answers
 * are remembered until the trigram index changes (indexMatches): a rare term searched again costs
 * one seek of the index's state instead of its doclists.
 */
export async function searchCandidates(
  read: RowReader,
  term: string,
  docs: ReadonlyMap<string, number>,
  limit = SEARCH_CANDIDATE_LIMIT,
  bounded: RowReader = read,
): Promise<number[] | undefined> {
  const trigrams = termTrigrams(term);
  if (trigrams.length === 0) throw new RangeError('searchCandidates takes a term of a trigram or more');
  const chosen = rarestTrigrams(trigrams, docs, MAX_QUERIED_TRIGRAMS, RARE_ENOUGH);
  const matches = await indexMatches(read, bounded);
  const candidates = await matches.rowids(chosen.map(ftsPhrase).join(' '), limit);
  if (candidates || [...term].length === TRIGRAM) return candidates;
  return matches.rowids(ftsPhrase(term), limit);
}
