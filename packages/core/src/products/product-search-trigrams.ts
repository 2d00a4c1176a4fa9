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
  const byRarity = sortByRarity(trigrams, docs);
  if (byRarity.length === 0) return [];
  if (count(docs, byRarity[0]!) <= enough) return [byRarity[0]!.text];
  const chosen: TermTrigram[] = [];
  const add = chooser(byRarity, chosen, max);
  add((t) => disjoint(chosen, t) && newWord(chosen, t));
  add((t) => t.word !== undefined && newWord(chosen, t));
  add((t) => disjoint(chosen, t));
  return chosen.map((t) => t.text);
}

/**
 * About how many of `live` rows contain the term: the fraction of rows holding each of its
 * rarest trigrams that are disjoint and one per word (as rarestTrigrams picks them first),
 * multiplied as if independent. Trigrams of one word stand for the same word and would count it
 * several times, so each word counts once; trigrams across a space tie neighbouring words
 * together. Multiplying underestimates terms whose words go together ("oak teapot" where every
 * teapot is oak) and overestimates words that never meet; the planner (product-search.ts) is
 * built so that either error costs time, never a wrong result.
 */
export function estimateMatches(trigrams: TermTrigram[], docs: ReadonlyMap<string, number>, live: number): number {
  if (live <= 0) return 0;
  const chosen: TermTrigram[] = [];
  chooser(sortByRarity(trigrams, docs), chosen, Infinity)((t) => disjoint(chosen, t) && newWord(chosen, t));
  return chosen.reduce((rows, t) => (rows * Math.min(count(docs, t), live)) / live, live);
}

const count = (docs: ReadonlyMap<string, number>, t: TermTrigram) => docs.get(t.text) ?? 0;

function sortByRarity(trigrams: TermTrigram[], docs: ReadonlyMap<string, number>): TermTrigram[] {
  return [...trigrams].sort((a, b) => count(docs, a) - count(docs, b) || a.at - b.at);
}

const disjoint = (chosen: TermTrigram[], t: TermTrigram) => chosen.every((c) => Math.abs(c.at - t.at) >= TRIGRAM);
const newWord = (chosen: TermTrigram[], t: TermTrigram) =>
  t.word === undefined || chosen.every((c) => c.word !== t.word);

/** Adds to `chosen`, in order of rarity, the trigrams that fit, until it holds `max`. */
function chooser(byRarity: TermTrigram[], chosen: TermTrigram[], max: number) {
  return (fits: (t: TermTrigram) => boolean) => {
    for (const t of byRarity) {
      if (chosen.length >= max) return;
      if (!chosen.some((c) => c.text === t.text) && fits(t)) chosen.push(t);
    }
  };
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
