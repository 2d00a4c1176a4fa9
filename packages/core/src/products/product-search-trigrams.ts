import { LRUCache } from 'lru-cache';
import type { RowReader } from '../db/row-reader.js';

/** FTS5's trigram tokenizer only indexes terms of three characters or more. */
export const TRIGRAM = 3;

/**
 * One trigram of a search term: where it starts (in characters, as the tokenizer counts), and the
 * word it lies in, or undefined when it spans whitespace (it then joins two words, or a word and
 * a space).
 */
export interface TermTrigram {
  text: string;
  at: number;
  word: number | undefined;
}

/** The trigrams of `term` in order, as FTS5's trigram tokenizer cuts them (by code point). */
export function termTrigrams(term: string): TermTrigram[] {
  const chars = [...term];
  const space = chars.map((c) => /\s/u.test(c));
  const wordOf: number[] = [];
  let word = 0;
  chars.forEach((_, i) => {
    if (space[i] && i > 0 && !space[i - 1]) word++;
    wordOf.push(word);
  });
  const trigrams: TermTrigram[] = [];
  for (let at = 0; at + TRIGRAM <= chars.length; at++) {
    const inWord = !space.slice(at, at + TRIGRAM).includes(true);
    trigrams.push({ text: chars.slice(at, at + TRIGRAM).join(''), at, word: inWord ? wordOf[at] : undefined });
  }
  return trigrams;
}

/**
 * Up to `max` trigrams of the term to query, chosen so that each narrows the candidates for
 * little cost. Rarest first, then: no two overlapping (overlapping trigrams such as "eap" and
 * "apo" mostly occur in the same rows, so the second barely narrows the candidates while still
 * costing its whole doclist), and at most one inside each word (for the same reason: "nor" and
 * "dic" both mean "nordic"); trigrams across a space join two words and say the most. Then, if
 * room is left, one trigram for each word not yet represented even if it overlaps, and last any
 * other disjoint trigram. When the rarest trigram is in at most `enough` rows it is queried
 * alone: the LIKE checks those few rows cheaper than FTS5 intersects another doclist.
 */
export function rarestTrigrams(
  trigrams: TermTrigram[],
  docs: ReadonlyMap<string, number>,
  max: number,
  enough: number,
): string[] {
  const count = (t: TermTrigram) => docs.get(t.text) ?? 0;
  const byRarity = [...trigrams].sort((a, b) => count(a) - count(b) || a.at - b.at);
  if (byRarity.length === 0) return [];
  if (count(byRarity[0]!) <= enough) return [byRarity[0]!.text];
  const chosen: TermTrigram[] = [];
  const disjoint = (t: TermTrigram) => chosen.every((c) => Math.abs(c.at - t.at) >= TRIGRAM);
  const newWord = (t: TermTrigram) => t.word === undefined || chosen.every((c) => c.word !== t.word);
  const add = (fits: (t: TermTrigram) => boolean) => {
    for (const t of byRarity) {
      if (chosen.length >= max) return;
      if (!chosen.some((c) => c.text === t.text) && fits(t)) chosen.push(t);
    }
  };
  add((t) => disjoint(t) && newWord(t));
  add((t) => t.word !== undefined && newWord(t));
  add(disjoint);
  return chosen.map((t) => t.text);
}

/**
 * How long a trigram's row count is trusted. The counts only choose which trigrams to query, never
 * what matches, so a stale count can make a search slower but never wrong.
 */
const COUNT_TTL_MS = 10 * 60_000;
/** Bound on remembered trigrams per database (a few bytes each); the least recently used go first. */
const MAX_REMEMBERED = 50_000;

/** Remembered counts per reader, i.e. per database a process has open. */
const remembered = new WeakMap<RowReader, LRUCache<string, number>>();

/**
 * The number of rows containing each trigram, from the fts5vocab table over the trigram index
 * (migration 0011). Reading a count walks that trigram's whole doclist — as costly as querying it
 * — so counts are remembered per process for COUNT_TTL_MS, like a planner's statistics: only the
 * first search for a new trigram pays.
 */
export async function trigramDocCounts(read: RowReader, trigrams: readonly string[]): Promise<Map<string, number>> {
  let cache = remembered.get(read);
  if (!cache) remembered.set(read, (cache = new LRUCache<string, number>({ max: MAX_REMEMBERED, ttl: COUNT_TTL_MS })));
  const counts = new Map<string, number>();
  const missing: string[] = [];
  for (const text of new Set(trigrams)) {
    const docs = cache.get(text);
    if (docs !== undefined) counts.set(text, docs);
    else missing.push(text);
  }
  if (missing.length === 0) return counts;
  const rows = await read<{ term: string; doc: number }>(
    `select term, doc from products_search_vocab where term in (${missing.map(() => '?').join(', ')})`,
    missing,
  );
  const found = new Map(rows.map((row) => [row.term, Number(row.doc)]));
  for (const text of missing) {
    const docs = found.get(text) ?? 0;
    counts.set(text, docs);
    cache.set(text, docs);
  }
  return counts;
}
