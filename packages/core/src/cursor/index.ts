/*
 * The keyset-cursor module (docs/cursor-pagination.md): knows nothing about products or users. See
 * docs/cursor-pagination.md for the design.
 */
export { createCursorCodec } from './codec.js';
export type { CursorCodec } from './codec.js';
export { paginate, paginateRows, type PlainRow, type ReadRows } from './paginate.js';
export type {
  CursorBinding,
  CursorState,
  CursorValue,
  Direction,
  Page,
  PaginateOptions,
  SortKey,
  SqlCondition,
  Travel,
} from './types.js';
