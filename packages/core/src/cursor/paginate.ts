import type { EntityManager, EntityName } from '@mikro-orm/core';
import type { CursorCodec } from './codec.js';
import { sqlEntityManager, segmentQuery } from './query.js';
import { planSegments } from './segments.js';
import type { CursorBinding, CursorState, CursorValue, Page, PaginateOptions, SortKey, Travel } from './types.js';

/**
 * One page of `entity` rows in the order of `options.sort`, read with a keyset predicate from the
 * position of `options.cursor` (no OFFSET, no COUNT; `limit + 1` rows to learn `has_more`).
 * A `prev` cursor reads backwards and the page is returned in display order.
 *
 * @example
 * const page = await paginate(em.fork(), ProductEntity, {
 *   where: { deleted_at: null },
 *   sort: [{ field: 'price_cents', direction: 'asc', type: 'number' }, { field: 'id', direction: 'asc', type: 'string' }],
 *   limit: 20,
 *   cursor: undefined,
 *   filters: {},
 * }, codec);
 * const next = page.next_cursor && await paginate(em.fork(), ProductEntity, { ...sameOptions, cursor: page.next_cursor }, codec);
 * @throws {InvalidCursorError} when the cursor is malformed, altered, or issued for another sort or other filters.
 * @throws {TypeError} when the sort spec is unusable (empty, or not ending in a non-nullable key).
 * @throws {RangeError} when `limit` is not a positive integer.
 */
export async function paginate<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  options: PaginateOptions,
  codec: CursorCodec,
): Promise<Page<T>> {
  const { sort, limit } = options;
  checkSort(sort);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`paginate: limit must be a positive integer, got ${limit}`);
  const binding: CursorBinding = { sort, filters: options.filters };
  const state = options.cursor === undefined ? undefined : codec.decode(options.cursor, binding);
  const travel: Travel = state?.travel ?? 'next';
  const sql = sqlEntityManager(em);

  const wanted = limit + 1;
  const rows: T[] = [];
  for (const segment of planSegments(sort, travel, state)) {
    const found = await segmentQuery(sql, entity, whereOf(options), segment, wanted - rows.length).execute<Record<string, unknown>[]>('all', false);
    for (const row of found) rows.push(sql.map(entity, row as never));
    if (rows.length >= wanted) break;
  }

  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const at = (direction: Travel, row: T) => codec.encode({ travel: direction, values: keyValues(row, sort), inclusive: false }, binding);
  // An empty page reached by a cursor still has surroundings: point back at the same position,
  // now including the row there (it was excluded on the way in).
  const back = (from: CursorState, direction: Travel) =>
    codec.encode({ travel: direction, values: from.values, inclusive: !from.inclusive }, binding);

  if (travel === 'next') {
    const last = page.at(-1);
    const first = page[0];
    return {
      data: page,
      next_cursor: more && last ? at('next', last) : null,
      prev_cursor: state === undefined ? null : first ? at('prev', first) : back(state, 'prev'),
      has_more: more,
    };
  }
  // Read backwards: nearest rows first. A `prev` cursor was issued from a page whose first row
  // follows these rows, so there is more after them.
  const data = page.reverse();
  const last = data.at(-1);
  const first = data[0];
  return {
    data,
    next_cursor: last ? at('next', last) : back(state!, 'next'),
    prev_cursor: more && first ? at('prev', first) : null,
    has_more: true,
  };
}

/**
 * A fresh `where` for each query: raw() fragments in a MikroORM filter are consumed when a query
 * is built, so a filter holding them must be rebuilt for every segment.
 */
function whereOf(options: PaginateOptions): Record<string, unknown> {
  return typeof options.where === 'function' ? options.where() : options.where;
}

function checkSort(sort: SortKey[]): void {
  const last = sort.at(-1);
  if (!last) throw new TypeError('paginate: the sort spec is empty');
  if (last.nullable) throw new TypeError('paginate: the sort spec must end with a unique, non-nullable key (the id)');
  if (new Set(sort.map((key) => key.field)).size !== sort.length) throw new TypeError('paginate: a field appears twice in the sort spec');
}

/** The cursor values of `row`: numbers as-is, dates as epoch milliseconds, strings, NULL. */
function keyValues(row: object, sort: SortKey[]): CursorValue[] {
  return sort.map((key) => {
    const value = (row as Record<string, unknown>)[key.field];
    if (value === null || value === undefined) {
      if (key.nullable) return null;
    } else if (key.type === 'date' && value instanceof Date) {
      return value.getTime();
    } else if (key.type === 'number' && typeof value === 'number') {
      return value;
    } else if (key.type === 'string' && typeof value === 'string') {
      return value;
    }
    throw new TypeError(`paginate: ${key.field} holds ${String(value)}, not a ${key.nullable ? 'nullable ' : ''}${key.type}`);
  });
}
