import type { EntityManager, EntityName } from '@mikro-orm/core';
import type { CursorCodec } from './codec.js';
import { pageSource, segmentSql, sqlEntityManager, type PageSource } from './query.js';
import { planSegments } from './segments.js';
import type { CursorBinding, CursorState, CursorValue, Page, PaginateOptions, SortKey, Travel } from './types.js';

/** A row as the database returns it for `select *`: column name → value. */
export type PlainRow = Record<string, unknown>;

/** Runs one SELECT (values bound to its `?` parameters) and resolves with its rows; by default `em`'s connection. */
export type ReadRows = (sql: string, params: unknown[]) => Promise<PlainRow[]>;

/**
 * One page of `entity` rows in the order of `options.sort`, read with a keyset predicate from the
 * position of `options.cursor` (no OFFSET, no COUNT; `limit + 1` rows to learn `has_more`).
 * A `prev` cursor reads backwards and the page is returned in display order. The rows are
 * managed entities of `em`; paginateRows returns the same page as plain rows.
 *
 * @example
 * const page = await paginate(em.fork(), ProductEntity, {
 *   where: [{ sql: 'deleted_at is null' }],
 *   sort: [
 *     { field: 'price_cents', direction: 'asc', type: 'number' },
 *     { field: 'id', direction: 'asc', type: 'string' },
 *   ],
 *   limit: 20,
 *   cursor: undefined,
 *   filters: {},
 * }, codec);
 * const next =
 *   page.next_cursor &&
 *   (await paginate(em.fork(), ProductEntity, { ...sameOptions, cursor: page.next_cursor }, codec));
 * @throws {InvalidCursorError} when the cursor is malformed, altered, or issued for another sort or other
 * filters.
 * @throws {TypeError} when the sort spec is unusable (empty, or not ending in a non-nullable key).
 * @throws {RangeError} when `limit` is not a positive integer.
 */
export async function paginate<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  options: PaginateOptions,
  codec: CursorCodec,
): Promise<Page<T>> {
  const sql = sqlEntityManager(em);
  // Entities are hydrated from whole rows.
  const page = await paginateRows<T, PlainRow>(em, entity, { ...options, columns: undefined }, codec);
  return { ...page, data: page.data.map((row) => sql.map(entity, row as never)) };
}

/**
 * paginate without entities: the page's rows as the database returns them (column names as keys;
 * SQLite gives datetimes as epoch ms, PostgreSQL as Date and bigints as strings). For read-only
 * hot paths that shape each row once themselves, with no identity map or hydration. `R` names
 * the columns the caller expects (unchecked: it describes `select *` of the table of `E`). `read`
 * runs the statements elsewhere than `em`'s connection (a read-only connection, say).
 * @throws {InvalidCursorError|TypeError|RangeError} as paginate.
 */
export async function paginateRows<E extends object, R extends object = PlainRow>(
  em: EntityManager,
  entity: EntityName<E>,
  options: PaginateOptions,
  codec: CursorCodec,
  read?: ReadRows,
): Promise<Page<R>> {
  const { sort, limit } = options;
  checkSort(sort);
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`paginate: limit must be a positive integer, got ${limit}`);
  const missing = options.columns && sort.find((key) => !options.columns!.includes(key.field));
  if (missing) throw new TypeError(`paginate: the columns read must include the sort key ${missing.field}`);
  const binding: CursorBinding = { sort, filters: options.filters };
  const state = options.cursor === undefined ? undefined : codec.decode(options.cursor, binding);
  const travel: Travel = state?.travel ?? 'next';
  const sql = sqlEntityManager(em);
  const source = pageSource(sql, entity);
  const connection = sql.getConnection();
  const run: ReadRows = read ?? ((text, params) => connection.execute<PlainRow[]>(text, params, 'all'));

  const wanted = limit + 1;
  const rows: PlainRow[] = [];
  for (const segment of planSegments(sort, travel, state)) {
    const statement = segmentSql(source, options.where, segment, wanted - rows.length, options.columns);
    rows.push(...(await run(statement.sql, statement.params)));
    if (rows.length >= wanted) break;
  }

  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const at = (direction: Travel, row: PlainRow) =>
    codec.encode({ travel: direction, values: keyValues(row, sort, source), inclusive: false }, binding);
  // An empty page reached by a cursor still has surroundings: point back at the same position,
  // now including the row there (it was excluded on the way in).
  const back = (from: CursorState, direction: Travel) =>
    codec.encode({ travel: direction, values: from.values, inclusive: !from.inclusive }, binding);

  if (travel === 'next') {
    const last = page.at(-1);
    const first = page[0];
    return {
      data: page as unknown as R[],
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
    data: data as unknown as R[],
    next_cursor: last ? at('next', last) : back(state!, 'next'),
    prev_cursor: more && first ? at('prev', first) : null,
    has_more: true,
  };
}

function checkSort(sort: SortKey[]): void {
  const last = sort.at(-1);
  if (!last) throw new TypeError('paginate: the sort spec is empty');
  if (last.nullable) throw new TypeError('paginate: the sort spec must end with a unique, non-nullable key (the id)');
  if (new Set(sort.map((key) => key.field)).size !== sort.length)
    throw new TypeError('paginate: a field appears twice in the sort spec');
}

/**
 * The cursor values of a plain row: numbers as-is (PostgreSQL's bigint strings as numbers), dates
 * as epoch milliseconds (SQLite stores them so; PostgreSQL gives a Date), strings, NULL.
 */
function keyValues(row: PlainRow, sort: SortKey[], source: PageSource): CursorValue[] {
  return sort.map((key) => {
    const value = row[source.columnName(key.field)];
    if (value === null || value === undefined) {
      if (key.nullable) return null;
    } else if (key.type === 'date') {
      const ms =
        value instanceof Date
          ? value.getTime()
          : typeof value === 'number'
            ? value
            : typeof value === 'string'
              ? Date.parse(value)
              : NaN;
      if (Number.isFinite(ms)) return ms;
    } else if (key.type === 'number') {
      const number = typeof value === 'string' ? Number(value) : value;
      if (typeof number === 'number' && Number.isFinite(number)) return number;
    } else if (key.type === 'string' && typeof value === 'string') {
      return value;
    }
    throw new TypeError(
      `paginate: ${key.field} holds ${String(value)}, not a ${key.nullable ? 'nullable ' : ''}${key.type}`,
    );
  });
}
