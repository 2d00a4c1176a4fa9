import { z } from 'zod';

/** Any UUID (the shape of an id; IdSchema also checks the version). */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` has the shape of a record id: anything else names no record (and never reaches a uuid column). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** A UUIDv7 string, the id format of every Catalog record. */
export const IdSchema = z.uuid({ version: 'v7', message: 'must be a UUIDv7 id' });

/** ISO-8601 UTC timestamp with milliseconds, e.g. `2026-01-02T03:04:05.678Z`. */
export const TimestampSchema = z.iso.datetime({
  precision: 3,
  message: 'must be an ISO-8601 UTC timestamp with milliseconds',
});

/**
 * The message of a value of the wrong type: `is required` when it is missing altogether (a
 * missing field is not "not a string"), else `expected`.
 *
 * @example
 * z.number({ error: typeMessage('must be a number') });
 */
export function typeMessage(expected: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? 'is required' : expected);
}

/**
 * A string from a client. NUL characters are refused: no database column accepts them
 * (PostgreSQL text cannot hold one) and no legitimate name, email or search contains one.
 */
export function inputString() {
  // NUL is exactly the character refused here: PostgreSQL text cannot hold it.
  // eslint-disable-next-line no-control-regex
  return z.string({ error: typeMessage('must be a string') }).regex(/^[^\u0000]*$/, 'must not contain NUL characters');
}

/** Whether `value` has at most `decimals` digits after the decimal point (as JSON writes it). */
export function hasAtMostDecimals(value: number, decimals: number): boolean {
  return Number(value.toFixed(decimals)) === value;
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A number that may arrive as a string (query strings, CSV cells) or as a number (JSON, library
 * calls). Empty or non-numeric strings are rejected instead of silently becoming 0 or NaN.
 */
export function numberLike<T extends z.ZodType<number>>(inner: T) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return NUMERIC.test(trimmed) ? Number(trimmed) : value;
  }, inner);
}

/** A boolean that may arrive as `true`/`false` strings from a query string. */
export const BooleanLikeSchema = z.preprocess(
  (value) => {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return value;
  },
  z.boolean({ message: 'must be true or false' }),
);

/** The largest page of every listing. */
export const PAGE_LIMIT_MAX = 100;

/** Page size shared by every listing: 1–PAGE_LIMIT_MAX, default 20. */
export const LimitSchema = numberLike(
  z
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(PAGE_LIMIT_MAX, `must be at most ${PAGE_LIMIT_MAX}`),
).default(20);

/**
 * The `cursor` of every listing: a `next_cursor` or `prev_cursor` of an earlier page. Absent,
 * `null` (a last page's `next_cursor`, passed straight back) and empty (`cursor=`) all mean the
 * first page; the parsed value is then `undefined`.
 */
export const CursorSchema = inputString()
  .nullish()
  .transform((cursor) => cursor || undefined);

export const SortOrderSchema = z.enum(['asc', 'desc'], { message: 'must be asc or desc' });
export type SortOrder = z.infer<typeof SortOrderSchema>;

/** The shape of every paginated response. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next_cursor: z.string().nullable(),
    prev_cursor: z.string().nullable(),
    has_more: z.boolean(),
  });
}

/** A page that may carry `total` (listings that count on request, e.g. products with `include_total`). */
export function countedPageSchema<T extends z.ZodType>(item: T) {
  return pageSchema(item).extend({
    /** Rows matching the filters, over all pages; present only when asked for. */
    total: z.number().int().min(0).optional(),
  });
}

/** One page of `T`: rows in display order and the cursors around them. */
export interface Page<T> {
  data: T[];
  /** Pass as `cursor` to get the rows after this page; null when `has_more` is false. */
  next_cursor: string | null;
  /** Pass as `cursor` to get the rows before this page; null when nothing precedes it. */
  prev_cursor: string | null;
  has_more: boolean;
  /** Rows matching the filters over all pages; only when asked for (`include_total`). */
  total?: number;
}
