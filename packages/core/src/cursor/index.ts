/*
 * The keyset-cursor module (SPEC §3): knows nothing about products or users. See
 * docs/cursor-pagination.md for the design.
 */
export { createCursorCodec } from './codec.js';
export type { CursorCodec } from './codec.js';
export { paginate } from './paginate.js';
export type { CursorBinding, CursorState, CursorValue, Direction, Page, PaginateOptions, SortKey, Travel } from './types.js';
