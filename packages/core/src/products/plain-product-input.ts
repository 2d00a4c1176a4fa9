import { PRODUCT_LIMITS, ProductInputSchema, SKU_PATTERN, type ProductInputParsed } from '@catalog/contract';

/** The fields ProductInputSchema (a strict object) accepts: read from the schema itself. */
const FIELDS = new Set(Object.keys(ProductInputSchema.shape));

const PRICE_SCALE = 10 ** PRODUCT_LIMITS.priceDecimals;
const RATING_SCALE = 10 ** PRODUCT_LIMITS.ratingDecimals;

/**
 * What `ProductInputSchema.parse(value)` returns, for an input that plainly passes it; undefined
 * for anything else, which the caller then parses with the schema itself (the source of truth,
 * and of the error messages). Only a shortcut for bulk imports: running the zod schema on a
 * million rows costs seconds of CPU and garbage, these few comparisons almost nothing. It reads
 * the same limits as the schema (PRODUCT_LIMITS), and test/products/plain-product-input.test.ts
 * checks on random inputs that it never accepts what the schema refuses nor answers differently.
 *
 * It returns a result only when every rule of the schema is plainly met: a plain object with no
 * other keys; name and category strings without NUL within their lengths once trimmed (the result
 * holds them trimmed); price a number within its range and decimals; rating absent, null, or a
 * number within its range and decimals; sku absent, null or a string the SKU pattern takes.
 */
export function plainProductInput(value: unknown): ProductInputParsed | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  for (const key in value) if (!FIELDS.has(key)) return undefined;
  const input = value as Record<string, unknown>;
  const name = plainText(input.name, PRODUCT_LIMITS.nameMax);
  if (name === undefined) return undefined;
  const category = plainText(input.category, PRODUCT_LIMITS.categoryMax);
  if (category === undefined) return undefined;
  const price = input.price;
  if (!plainNumber(price, PRODUCT_LIMITS.priceMax, PRICE_SCALE)) return undefined;
  const rating = input.rating ?? null;
  if (rating !== null && !plainNumber(rating, PRODUCT_LIMITS.ratingMax, RATING_SCALE)) return undefined;
  const sku = input.sku ?? null;
  if (sku !== null && (typeof sku !== 'string' || sku.length > PRODUCT_LIMITS.skuMax || !SKU_PATTERN.test(sku))) {
    return undefined;
  }
  return { name, category, price, rating, sku };
}

/** The trimmed text, if `value` is a string without NUL whose trimmed length is 1–`max`. */
function plainText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' || value.includes('\u0000')) return undefined;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= max ? trimmed : undefined;
}

/** Whether `value` is a number 0–`max` with at most log10(`scale`) decimals. */
function plainNumber(value: unknown, max: number, scale: number): value is number {
  return typeof value === 'number' && value >= 0 && value <= max && decimalsAtMost(value, scale);
}

/**
 * Whether `value` (0 ≤ value ≤ 1e9) has at most log10(`scale`) decimals: true only if it does.
 * `k / scale` is the double nearest to the decimal k/scale (IEEE division of exact integers is
 * correctly rounded), so if it equals `value`, then value.toFixed(n) writes that decimal (the
 * value's rounding error, under 1e-7 here, is far below half a unit of the last decimal) and
 * hasAtMostDecimals holds. A false answer only sends the input to the schema.
 */
function decimalsAtMost(value: number, scale: number): boolean {
  return Math.round(value * scale) / scale === value;
}
