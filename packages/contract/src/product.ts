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

/**
 * The limits of a product's fields: the one place they are written. The schemas below, core's
 * fast input check and table definition, and the CLI's help all read them from here.
 */
export const PRODUCT_LIMITS = {
  /** Characters of a name, after trimming. */
  nameMax: 200,
  /** Characters of a category, after trimming. */
  categoryMax: 100,
  /** Characters of a SKU. */
  skuMax: 64,
  priceMax: 1_000_000_000,
  priceDecimals: 2,
  ratingMax: 5,
  ratingDecimals: 1,
} as const;

export const MAX_PRICE = PRODUCT_LIMITS.priceMax;

/** Printable ASCII without spaces: what a SKU may contain (it is matched exactly, case-sensitively). */
export const SKU_PATTERN = /^[\x21-\x7e]+$/;

export const ProductNameSchema = inputString()
  .trim()
  .min(1, 'must not be empty')
  .max(PRODUCT_LIMITS.nameMax, `must be at most ${PRODUCT_LIMITS.nameMax} characters`);
export const CategorySchema = inputString()
  .trim()
  .min(1, 'must not be empty')
  .max(PRODUCT_LIMITS.categoryMax, `must be at most ${PRODUCT_LIMITS.categoryMax} characters`);

/** A stock-keeping code: 1–64 printable characters without spaces, unique among products. */
export const SkuSchema = z
  .string({ message: 'must be a string' })
  .min(1, 'must not be empty')
  .max(PRODUCT_LIMITS.skuMax, `must be at most ${PRODUCT_LIMITS.skuMax} characters`)
  .regex(SKU_PATTERN, 'must be printable characters without spaces');

/** A price in currency units: ≥ 0, ≤ 1e9, at most 2 decimals (stored as integer cents). */
export const PriceSchema = z
  .number({ error: typeMessage('must be a number') })
  .min(0, 'must be at least 0')
  .max(PRODUCT_LIMITS.priceMax, `must be at most ${PRODUCT_LIMITS.priceMax}`)
  .refine(
    (v) => hasAtMostDecimals(v, PRODUCT_LIMITS.priceDecimals),
    `must have at most ${PRODUCT_LIMITS.priceDecimals} decimals`,
  );

/** A rating 0–5 with at most 1 decimal; null means not rated. */
export const RatingSchema = z
  .number({ message: 'must be a number or null' })
  .min(0, 'must be at least 0')
  .max(PRODUCT_LIMITS.ratingMax, `must be at most ${PRODUCT_LIMITS.ratingMax}`)
  .refine(
    (v) => hasAtMostDecimals(v, PRODUCT_LIMITS.ratingDecimals),
    `must have at most ${PRODUCT_LIMITS.ratingDecimals} decimal`,
  );

export const ProductSchema = z.object({
  id: IdSchema,
  name: z.string(),
  category: z.string(),
  price: z.number(),
  rating: z.number().nullable(),
  /** The stock-keeping code, or null when the product has none. */
  sku: z.string().nullable(),
  /** 1 on create, +1 on every change (delete and restore included): the basis of ETag and If-Match. */
  version: z.number().int().min(1),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  /** Only present in responses to admins. */
  deleted_at: TimestampSchema.nullable().optional(),
});
export type Product = z.infer<typeof ProductSchema>;

/** Body of `POST /products` and `PUT /products/{id}`: every field (rating and sku may be omitted = null). */
export const ProductInputSchema = z.strictObject({
  name: ProductNameSchema,
  category: CategorySchema,
  price: PriceSchema,
  rating: RatingSchema.nullable().default(null),
  sku: SkuSchema.nullable().default(null),
});
export type ProductInput = z.input<typeof ProductInputSchema>;
export type ProductInputParsed = z.output<typeof ProductInputSchema>;

/**
 * The identity an imported product may carry (an export's `id`, `version` and timestamps), so an
 * export imports back as the same products. Each field is optional; what is missing is given as
 * to a new product (a new id, version 1, created now, not deleted).
 */
export const PRODUCT_IDENTITY_SHAPE = {
  id: IdSchema.optional(),
  version: z.number({ message: 'must be a number' }).int('must be an integer').min(1, 'must be at least 1').optional(),
  created_at: TimestampSchema.optional(),
  updated_at: TimestampSchema.optional(),
  deleted_at: TimestampSchema.nullable().optional(),
};

/** `updated_at` may not precede `created_at` (ISO-8601 UTC with ms compares as text). */
function identityInOrder(
  identity: { created_at?: string | undefined; updated_at?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (
    identity.created_at !== undefined &&
    identity.updated_at !== undefined &&
    identity.updated_at < identity.created_at
  ) {
    ctx.addIssue({ code: 'custom', path: ['updated_at'], message: 'must not be before created_at' });
  }
}

/** The identity fields of an imported product on their own. */
export const ProductIdentitySchema = z.strictObject(PRODUCT_IDENTITY_SHAPE).superRefine(identityInOrder);
export type ProductIdentityInput = z.input<typeof ProductIdentitySchema>;

/** One record of `products.importMany` / `catalog products import`: a product input, with its identity if any. */
export const ProductImportSchema = ProductInputSchema.extend(PRODUCT_IDENTITY_SHAPE).superRefine(identityInOrder);
export type ProductImport = z.input<typeof ProductImportSchema>;
export type ProductImportParsed = z.output<typeof ProductImportSchema>;

/** Body of `PATCH /products/{id}`: any non-empty subset of the fields. */
export const ProductPatchSchema = z
  .strictObject({
    name: ProductNameSchema.optional(),
    category: CategorySchema.optional(),
    price: PriceSchema.optional(),
    rating: RatingSchema.nullable().optional(),
    sku: SkuSchema.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'must change at least one field' });
export type ProductPatch = z.input<typeof ProductPatchSchema>;

export const PRODUCT_SORT_KEYS = ['created_at', 'price', 'rating', 'name'] as const;
export const ProductSortBySchema = z.enum(PRODUCT_SORT_KEYS, {
  message: `must be one of ${PRODUCT_SORT_KEYS.join(', ')}`,
});
export type ProductSortBy = z.infer<typeof ProductSortBySchema>;

const queryPrice = numberLike(PriceSchema);

/**
 * Query of `GET /products` (and of `products.list()` / `catalog products list`). Its output is
 * branded: a `ProductListQueryParsed` comes only out of this schema, so core can take one as
 * already validated (`products.listParsed`) and a query is checked once, not by server and core.
 */
export const ProductListQuerySchema = z
  .strictObject({
    search: ProductNameSchema.optional(),
    category: CategorySchema.optional(),
    sku: SkuSchema.optional(),
    min_price: queryPrice.optional(),
    max_price: queryPrice.optional(),
    min_rating: numberLike(RatingSchema).optional(),
    sort_by: ProductSortBySchema.default('created_at'),
    sort_order: SortOrderSchema.default('desc'),
    limit: LimitSchema,
    cursor: CursorSchema,
    include_deleted: BooleanLikeSchema.default(false),
    /** Add `total`, the number of rows matching the filters (counted only when asked). */
    include_total: BooleanLikeSchema.default(false),
  })
  .superRefine((q, ctx) => {
    if (q.min_price !== undefined && q.max_price !== undefined && q.min_price > q.max_price) {
      ctx.addIssue({ code: 'custom', path: ['min_price'], message: 'must not be greater than max_price' });
    }
  })
  .brand<'ProductListQuery'>();
export type ProductListQuery = z.input<typeof ProductListQuerySchema>;
export type ProductListQueryParsed = z.output<typeof ProductListQuerySchema>;

/** The filters of a listing without paging (for `iterate()` and exports). */
export type ProductFilter = Omit<ProductListQuery, 'cursor' | 'limit' | 'include_total'>;

/** Most products one bulk create (`POST /products/bulk`, `createMany` over HTTP) may carry. */
export const PRODUCT_BULK_MAX = 1000;

/**
 * Body of `POST /products/bulk`: an array of at most PRODUCT_BULK_MAX product inputs. Each item is
 * checked by the service (so every bad item is reported), the array itself here.
 */
export const ProductBulkInputSchema = z
  .array(z.unknown(), { message: 'must be an array of product inputs' })
  .min(1, 'must hold at least one product')
  .max(PRODUCT_BULK_MAX, `must hold at most ${PRODUCT_BULK_MAX} products`);
