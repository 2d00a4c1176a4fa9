import type { RowReader } from '../db/row-reader.js';
import { TRIGRAM } from './product-search-trigrams.js';

/** Sorts after every trigram that starts with the text before it (the last code point). */
const AFTER = 'char(1114111)';

/**
 * On SQLite, whether any name may contain `term`, a term shorter than a trigram (one or two
 * characters, folded). False means no name contains it; true means some trigram or short name
 * does — possibly of a deleted product only, so the search itself still decides.
 *
 * Every occurrence of the term in a name of three characters or more lies in one of the name's
 * trigrams, at offset 0 (the trigram starts with the term) or further in. For each offset k the
 * question is one seek into the trigram index (the fts5vocab 'instance' view, migration 0017):
 * is there a trigram at or after `p || term` that starts with it, for each distinct prefix p of
 * k characters. The distinct prefixes are walked by seeking past each one (a skip scan: a few
 * dozen seeks for one-character prefixes, a few hundred for two), so the cost follows the
 * number of distinct prefixes in the index, not the number of products. Names of one or two
 * characters have no trigram; a partial index holds them. The trigrams are the FTS5 tokenizer's
 * own, so this reads the one definition the trigram search uses.
 */
export async function shortTermMayMatch(read: RowReader, term: string): Promise<boolean> {
  const length = [...term].length;
  if (length === 0 || length >= TRIGRAM)
    throw new RangeError('shortTermMayMatch takes a term of one or two characters');
  const prefix = TRIGRAM - length;
  const rows = await read(
    `with recursive prefixes(p) as (
      select (select substr(term, 1, ?) from products_search_instances limit 1)
      union all
      select (select substr(term, 1, ?) from products_search_instances where term >= p || ${AFTER} limit 1)
      from prefixes where p is not null
    )
    select 1 from products_search_instances where term >= ? and term < ? || ${AFTER}
    union all
    select 1 from prefixes where p is not null and (instr(substr(p, 2), ?) > 0 or exists (
      select 1 from products_search_instances where term >= p || ? and term < p || ? || ${AFTER}))
    union all
    select 1 from products where length(name_folded) < 3 and instr(name_folded, ?) > 0
    limit 1`,
    [prefix, prefix, term, term, term, term, term, term],
  );
  return rows.length > 0;
}
