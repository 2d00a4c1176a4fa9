import { MAX_PRICE, type ProductInputParsed } from '@catalog/contract';

/** The fields ProductInputSchema (a strict object) accepts. */
const FIELDS = new Set(['name', 'category', 'price', 'rating']);

/**
 * What `ProductInputSchema.parse(value)` returns, for an input that plainly passes it; undefined
 * for anything else, which the caller then parses with the schema itself (the source of truth,
 * and of the error messages). Only a shortcut for bulk imports: running the zod schema on a
 * million rows costs seconds of CPU and garbage, these few comparisons almost nothing.
 *
 * It returns a result only when every rule of the schema is plainly met (so it never accepts
 * what the schema refuses): a plain object with no other keys; name and category strings without
 * NUL, 1–200 and 1–100 characters once trimmed (the result holds them trimmed); price a number
 * 0–MAX_PRICE with at most 2 decimals; rating absent, null, or a number 0–5 with at most 1
 * decimal. `decimalsAtMost` answers yes only when the contract's hasAtMostDecimals does.
 */
export function plainProductInput(value: unknown): ProductInputParsed | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  for (const key in value) if (!FIELDS.has(key)) return undefined;
  const input = value as Record<string, unknown>;
  const name = plainText(input.name, 200);
  if (name === undefined) return undefined;
  const category = plainText(input.category, 100);
  if (category === undefined) return undefined;
  const price = input.price;
  if (typeof price !== 'number' || !(price >= 0 && price <= MAX_PRICE) || !decimalsAtMost(price, 100)) return undefined;
  const rating = input.rating ?? null;
  if (rating !== null && (typeof rating !== 'number' || !(rating >= 0 && rating <= 5) || !decimalsAtMost(rating, 10)))
    return undefined;
  return { name, category, price, rating };
}

/** The trimmed text, if `value` is a string without NUL whose trimmed length is 1–`max`. */
function plainText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' || value.includes('\u0000')) return undefined;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= max ? trimmed : undefined;
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
