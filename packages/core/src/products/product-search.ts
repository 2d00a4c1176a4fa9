import type { RowReader } from '../db/row-reader.js';
import type { DatabaseKind } from '../config.js';
import { rarestTrigrams, termTrigrams, trigramDocCounts, TRIGRAM } from './product-search-trigrams.js';

export { TRIGRAM } from './product-search-trigrams.js';

/** An FTS5 phrase query matching `term` literally. */
export function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/**
 * Up to this many trigram candidates, a SQLite search reads the candidate rows by rowid and sorts
 * them; with more, the matches are dense enough that walking the sort index finds a page sooner.
 */
export const SEARCH_CANDIDATE_LIMIT = 2000;

/**
 * How many trigrams of a term the candidate query asks for. Each costs about its whole doclist;
 * past a few, the candidates hardly shrink while the cost keeps growing (docs/search.md).
 */
const MAX_QUERIED_TRIGRAMS = 4;
/** A trigram in this few rows is selective enough alone; the LIKE checks its rows. */
const RARE_ENOUGH = 200;

/**
 * On SQLite, the rowids of the rows whose folded name may contain `term`, or undefined when the
 * term has more than SEARCH_CANDIDATE_LIMIT matches or is too short for trigrams. The page query's
 * LIKE decides what matches, so the list may hold extra rows, never miss one.
 *
 * A phrase query for the whole term intersects the doclists of all its trigrams, and common
 * trigrams ("tic", " oa") are in a tenth of the rows or more, so their doclists are long.
 * Instead the candidates are the rows holding the term's few rarest trigrams (by the counts of the
 * fts5vocab table, migration 0011), AND-ed as separate tokens. Only when that superset overflows
 * the limit is the exact phrase asked, to tell "many near misses" from "many matches".
 *
 * Feeding a short list to the page query lets SQLite start from the candidates: given the subquery
 * instead, its planner walks the whole sort index and probes each row (docs/search.md).
 */
export async function searchCandidates(
  read: RowReader,
  term: string,
  database: DatabaseKind,
): Promise<number[] | undefined> {
  if (database !== 'sqlite') return undefined;
  const trigrams = termTrigrams(term);
  if (trigrams.length === 0) return undefined;
  const docs = await trigramDocCounts(
    read,
    trigrams.map((t) => t.text),
  );
  const chosen = rarestTrigrams(trigrams, docs, MAX_QUERIED_TRIGRAMS, RARE_ENOUGH);
  const candidates = await matchRowids(read, chosen.map(ftsPhrase).join(' '));
  if (candidates || [...term].length === TRIGRAM) return candidates;
  return matchRowids(read, ftsPhrase(term));
}

/** The rowids matching an FTS5 query, or undefined when there are more than the limit. */
async function matchRowids(read: RowReader, query: string): Promise<number[] | undefined> {
  const rows = await read<{ rowid: number }>(
    'select rowid from products_search where products_search match ? limit ?',
    [query, SEARCH_CANDIDATE_LIMIT + 1],
  );
  return rows.length > SEARCH_CANDIDATE_LIMIT ? undefined : rows.map((row) => Number(row.rowid));
}
