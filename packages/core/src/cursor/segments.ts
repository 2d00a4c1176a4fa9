import type { CursorValue, Direction, SortKey, Travel } from './types.js';

/*
 * The rows after a cursor position, in travel order, as a list of "segments". Each segment is
 * one plain index range: equalities on a prefix of the keys, then one range (or IS [NOT] NULL)
 * on the next key, ordered by the remaining keys. Reading the segments one after another, each
 * with its own LIMIT, returns exactly the rows of the keyset predicate in order — without the
 * OR that would keep a database from seeking to the cursor (see docs/cursor-pagination.md).
 */

/** A condition on the sort keys; values are cursor values (dates as epoch milliseconds). */
export type Condition =
  | { kind: 'eq'; key: SortKey; value: string | number }
  | { kind: 'isNull'; key: SortKey }
  | { kind: 'notNull'; key: SortKey }
  /** Row-value comparison `(k1, …, kn) op (v1, …, vn)`: every key shares one direction. */
  | { kind: 'range'; keys: SortKey[]; values: (string | number)[]; op: '>' | '<' | '>=' | '<=' };

export interface OrderTerm {
  key: SortKey;
  direction: Direction;
  /** Set only where the column may still hold NULL inside the segment. */
  nulls?: 'first' | 'last';
}

export interface Segment {
  conditions: Condition[];
  order: OrderTerm[];
}

/** Where reading starts: after (or, when inclusive, at) the row with these key values. */
export interface Position {
  values: CursorValue[];
  inclusive: boolean;
}

const flip = (direction: Direction): Direction => (direction === 'asc' ? 'desc' : 'asc');

/**
 * The segments to read, in order, for `travel` from `position` (or from the start of the order
 * when there is none). `prev` reads the display order backwards: every direction flipped and
 * NULLs first, so that the rows nearest the position come first.
 */
export function planSegments(sort: SortKey[], travel: Travel, position?: Position): Segment[] {
  const directions = sort.map((key) => (travel === 'next' ? key.direction : flip(key.direction)));
  const nullsLast = travel === 'next';
  // Order by keys from `from` on; the key at `from` is known non-NULL in the segment.
  const orderFrom = (from: number): OrderTerm[] =>
    sort.slice(from).map((key, offset) => {
      const i = from + offset;
      const term: OrderTerm = { key, direction: directions[i]! };
      if (key.nullable && offset > 0) term.nulls = nullsLast ? 'last' : 'first';
      return term;
    });

  if (!position) {
    const first = sort[0]!;
    if (!first.nullable) return [{ conditions: [], order: orderFrom(0) }];
    const rated: Segment = { conditions: [{ kind: 'notNull', key: first }], order: orderFrom(0) };
    const unrated: Segment = { conditions: [{ kind: 'isNull', key: first }], order: orderFrom(1) };
    return nullsLast ? [rated, unrated] : [unrated, rated];
  }

  const { values, inclusive } = position;
  const last = sort.length - 1;
  const prefix = (upTo: number): Condition[] =>
    sort.slice(0, upTo).map((key, i) => {
      const value = values[i]!;
      return value === null ? { kind: 'isNull', key } : { kind: 'eq', key, value };
    });
  const segments: Segment[] = [];
  // The row-value range being grown: keys `start..end` (inclusive), all of one direction.
  let run: { start: number; end: number } | undefined;

  for (let i = last; i >= 0; i--) {
    const key = sort[i]!;
    const value = values[i]!;
    if (value === null) {
      // Every row with key i "after" NULL: nothing when NULLs come last, all non-NULLs when first.
      if (!nullsLast) segments.push({ conditions: [...prefix(i), { kind: 'notNull', key }], order: orderFrom(i) });
      run = undefined;
      continue;
    }
    // Extend the previous range into a row-value range when it is the latest segment and reads
    // in the same direction: (a > x) ∪ (a = x ∧ (b, …) > (y, …))  ≡  (a, b, …) > (x, y, …).
    const extend = run !== undefined && run.start === i + 1 && directions[i] === directions[i + 1];
    if (extend) segments.pop();
    const end = extend ? run!.end : i;
    run = { start: i, end };
    const strictOp = directions[i] === 'asc' ? '>' : '<';
    const op = inclusive && end === last ? (`${strictOp}=` as const) : strictOp;
    const range: Condition = {
      kind: 'range',
      keys: sort.slice(i, end + 1),
      values: values.slice(i, end + 1) as (string | number)[],
      op,
    };
    // A nullable key in a range is non-NULL there: say so, so the "rated" partial index applies.
    const notNull: Condition[] = key.nullable ? [{ kind: 'notNull', key }] : [];
    segments.push({ conditions: [...prefix(i), ...notNull, range], order: orderFrom(i) });
    if (key.nullable && nullsLast) {
      segments.push({ conditions: [...prefix(i), { kind: 'isNull', key }], order: orderFrom(i + 1) });
      run = undefined;
    }
  }
  return segments;
}
