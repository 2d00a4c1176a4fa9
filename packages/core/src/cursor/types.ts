import type { Page } from '@catalog/contract';

export type Direction = 'asc' | 'desc';

/**
 * One key of a sort order. A sort spec is an ordered list of keys that ends with the entity's
 * unique `id`, which makes the order total.
 */
export interface SortKey {
  /** Entity property; its column is read from the entity metadata. */
  field: string;
  direction: Direction;
  /** The column may hold NULL; NULLs sort last in both directions. */
  nullable?: boolean;
  /** How the value is written into a cursor: numbers as-is, dates as epoch milliseconds, strings as-is. */
  type: 'number' | 'string' | 'date';
}

/**
 * One SQL condition on the paginated table's columns, its `?` parameters bound to `params`
 * (unqualified column names; the conditions are AND-ed), e.g. `{ sql: 'price_cents >= ?', params: [1000] }`.
 */
export interface SqlCondition {
  sql: string;
  params?: readonly unknown[];
}

export interface PaginateOptions {
  /** The rows to page through (filters, soft-delete rule) as SQL conditions, AND-ed. */
  where: readonly SqlCondition[];
  sort: SortKey[];
  /**
   * Entity properties to read (paginateRows only; default: every column). Must include the sort
   * keys, which the cursors are made of. Fewer columns, fewer values for the driver to convert.
   */
  columns?: readonly string[];
  /** Page size (the query fetches limit + 1 rows to know `has_more`). */
  limit: number;
  /** A cursor from a previous page of the same query, or undefined for the first page. */
  cursor?: string | undefined;
  /** Any JSON value naming the filter set; a cursor is only accepted for the same filters. */
  filters: unknown;
}

/** Which way a cursor reads: `next` = the rows after its position, `prev` = the rows before it. */
export type Travel = 'next' | 'prev';

/** A key value as a cursor carries it: numbers as-is, dates as epoch milliseconds, strings, or NULL. */
export type CursorValue = string | number | null;

/** What a cursor says once verified: where it points and which way it reads. */
export interface CursorState {
  travel: Travel;
  /** The sort-key values of the row the cursor points at, in sort-spec order. */
  values: CursorValue[];
  /**
   * Whether the row at `values` itself belongs to the rows read. Only set on the cursors of an
   * empty page, which must point back at the position they were reached from.
   */
  inclusive: boolean;
}

/** What a cursor is bound to: it is only accepted for the same sort and the same filters. */
export interface CursorBinding {
  sort: SortKey[];
  filters: unknown;
}

export type { Page };
