import type { Page } from '@catalog/contract';

export type Direction = 'asc' | 'desc';

/**
 * One key of a sort order. A sort spec is an ordered list of keys that ends with the entity's
 * unique `id`, which makes the order total.
 */
export interface SortKey {
  /** Entity property (the column has the same name). */
  field: string;
  direction: Direction;
  /** The column may hold NULL; NULLs sort last in both directions. */
  nullable?: boolean;
  /** How the value is written into a cursor: numbers as-is, dates as epoch milliseconds, strings as-is. */
  type: 'number' | 'string' | 'date';
}

export interface PaginateOptions {
  /** MikroORM filter of the rows to page through (filters, soft-delete rule). */
  where: Record<string, unknown>;
  sort: SortKey[];
  /** Page size (the query fetches limit + 1 rows to know `has_more`). */
  limit: number;
  /** A cursor from a previous page of the same query, or undefined for the first page. */
  cursor?: string | undefined;
  /** Any JSON value naming the filter set; a cursor is only accepted for the same filters. */
  filters: unknown;
}

export type { Page };
