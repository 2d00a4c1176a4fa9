import { z } from 'zod';
import { IdSchema, LimitSchema, TimestampSchema, inputString } from './common.js';
import { ProductSchema } from './product.js';

/** What a write did to a product. */
export const CHANGE_TYPES = ['product.created', 'product.updated', 'product.deleted', 'product.restored'] as const;
export const ChangeTypeSchema = z.enum(CHANGE_TYPES, { message: `must be one of ${CHANGE_TYPES.join(', ')}` });
export type ChangeType = z.infer<typeof ChangeTypeSchema>;

/** One entry of the change feed: a product as one write left it. */
export const ChangeSchema = z.object({
  /** Opaque and stable: the cursor that resumes the feed just after this change. */
  id: z.string(),
  type: ChangeTypeSchema,
  product_id: IdSchema,
  /** The product after the write, as an admin sees it (`deleted_at` included). */
  product: ProductSchema,
  /** Who wrote it; null for the operator's system actor (the CLI). */
  actor_id: z.string().nullable(),
  /** When the change was written. */
  at: TimestampSchema,
});
export type Change = z.infer<typeof ChangeSchema>;

/**
 * The cursor value that names the current end of the feed (as CouchDB's `since=now`): a page
 * asked with it is empty and its `next_cursor` is the position after the last change committed,
 * so a client that wants only what happens from now on starts there, with one request.
 */
export const FEED_END = 'now';

/** `GET /changes`: a page of the feed, oldest first. */
export const ChangeListQuerySchema = z.strictObject({
  limit: LimitSchema,
  /** Only changes of this type (the cursor's position is the same with or without it). */
  type: ChangeTypeSchema.optional(),
  cursor: inputString().min(1, 'must not be empty').optional(),
});
export type ChangeListQuery = z.input<typeof ChangeListQuerySchema>;

/** `GET /changes/stream`: where to start (else the `Last-Event-ID` header, else the oldest change kept). */
export const ChangeStreamQuerySchema = z.strictObject({
  type: ChangeTypeSchema.optional(),
  cursor: inputString().min(1, 'must not be empty').optional(),
});
export type ChangeStreamQuery = z.input<typeof ChangeStreamQuerySchema>;

/** A page of changes: like every page, but `next_cursor` is never null — poll with it. */
export const ChangePageSchema = z.object({
  data: z.array(ChangeSchema),
  next_cursor: z.string(),
  prev_cursor: z.string().nullable(),
  has_more: z.boolean(),
});
export type ChangePage = z.infer<typeof ChangePageSchema>;
