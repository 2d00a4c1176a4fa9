import { z } from 'zod';
import {
  BooleanLikeSchema,
  CursorSchema,
  IdSchema,
  LimitSchema,
  SortOrderSchema,
  TimestampSchema,
  hasAtMostDecimals,
  inputString,
  numberLike,
  typeMessage,
} from './common.js';

export const MAX_PRICE = 1_000_000_000;

export const ProductNameSchema = inputString()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');
export const CategorySchema = inputString()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

/** A price in currency units: ≥ 0, ≤ 1e9, at most 2 decimals (stored as integer cents). */
export const PriceSchema = z
  .number({ error: typeMessage('must be a number') })
  .min(0, 'must be at least 0')
  .max(MAX_PRICE, `must be at most ${MAX_PRICE}`)
  .refine((v) => hasAtMostDecimals(v, 2), 'must have at most 2 decimals');

/** A rating 0–5 with at most 1 decimal; null means not rated. */
export const RatingSchema = z
  .number({ message: 'must be a number or null' })
  .min(0, 'must be at least 0')
  .max(5, 'must be at most 5')
  .refine((v) => hasAtMostDecimals(v, 1), 'must have at most 1 decimal');

export const ProductSchema = z.object({
  id: IdSchema,
  name: z.string(),
  category: z.string(),
  price: z.number(),
  rating: z.number().nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  /** Only present in responses to admins. */
  deleted_at: TimestampSchema.nullable().optional(),
});
export type Product = z.infer<typeof ProductSchema>;

/** Body of `POST /products` and `PUT /products/{id}`: every field (rating may be omitted = null). */
export const ProductInputSchema = z.strictObject({
  name: ProductNameSchema,
  category: CategorySchema,
  price: PriceSchema,
  rating: RatingSchema.nullable().default(null),
});
export type ProductInput = z.input<typeof ProductInputSchema>;
export type ProductInputParsed = z.output<typeof ProductInputSchema>;

/** Body of `PATCH /products/{id}`: any non-empty subset of the fields. */
export const ProductPatchSchema = z
  .strictObject({
    name: ProductNameSchema.optional(),
    category: CategorySchema.optional(),
    price: PriceSchema.optional(),
    rating: RatingSchema.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'must change at least one field' });
export type ProductPatch = z.input<typeof ProductPatchSchema>;

export const PRODUCT_SORT_KEYS = ['created_at', 'price', 'rating', 'name'] as const;
export const ProductSortBySchema = z.enum(PRODUCT_SORT_KEYS, {
  message: `must be one of ${PRODUCT_SORT_KEYS.join(', ')}`,
});
export type ProductSortBy = z.infer<typeof ProductSortBySchema>;

const queryPrice = numberLike(PriceSchema);

/** Query of `GET /products` (and of `products.list()` / `catalog products list`). */
export const ProductListQuerySchema = z
  .strictObject({
    search: inputString().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
    category: inputString().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    min_price: queryPrice.optional(),
    max_price: queryPrice.optional(),
    min_rating: numberLike(RatingSchema).optional(),
    sort_by: ProductSortBySchema.default('created_at'),
    sort_order: SortOrderSchema.default('desc'),
    limit: LimitSchema,
    cursor: CursorSchema,
    include_deleted: BooleanLikeSchema.default(false),
  })
  .superRefine((q, ctx) => {
    if (q.min_price !== undefined && q.max_price !== undefined && q.min_price > q.max_price) {
      ctx.addIssue({ code: 'custom', path: ['min_price'], message: 'must not be greater than max_price' });
    }
  });
export type ProductListQuery = z.input<typeof ProductListQuerySchema>;
export type ProductListQueryParsed = z.output<typeof ProductListQuerySchema>;

/** The filters of a listing without paging (for `iterate()` and exports). */
export type ProductFilter = Omit<ProductListQuery, 'cursor' | 'limit'>;
