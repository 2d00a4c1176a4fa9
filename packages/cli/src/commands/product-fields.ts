import { PRODUCT_LIMITS, type ProductPatch } from '@catalog/contract';
import type { Command } from 'commander';

/** The product field flags of `products create` and `products update`. */
export interface FieldFlags {
  name?: string;
  category?: string;
  price?: string;
  rating?: string;
  sku?: string;
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A number flag as a number when it is one; otherwise the text itself, so the contract schema
 * rejects it with its usual message (`price: must be a number`) instead of a silent NaN.
 */
export function numberFlag(value: string): number | string {
  const trimmed = value.trim();
  return NUMERIC.test(trimmed) ? Number(trimmed) : value;
}

/** `--rating none` clears the rating (null = not rated). */
export function ratingFlag(value: string): number | string | null {
  return ['none', 'null', ''].includes(value.trim().toLowerCase()) ? null : numberFlag(value);
}

export function addFieldOptions(command: Command, required: boolean): Command {
  const mark = required ? ' (required)' : '';
  return command
    .option('--name <name>', `product name, 1–${PRODUCT_LIMITS.nameMax} characters${mark}`)
    .option('--category <category>', `category, 1–${PRODUCT_LIMITS.categoryMax} characters${mark}`)
    .option('--price <price>', `price ≥ 0 with at most ${PRODUCT_LIMITS.priceDecimals} decimals${mark}`)
    .option(
      '--rating <rating>',
      `rating 0–${PRODUCT_LIMITS.ratingMax} with at most ${PRODUCT_LIMITS.ratingDecimals} decimal, or "none" for not rated`,
    )
    .option('--sku <sku>', `stock-keeping code, 1–${PRODUCT_LIMITS.skuMax} characters, unique; "none" for no SKU`);
}

/**
 * The fields given on the command line, ready for the core's validation. Missing fields are left
 * out, so `create` reports every missing one and `update` changes only what was given.
 */
export function fieldsFromFlags(flags: FieldFlags): ProductPatch {
  const fields: Record<string, unknown> = {};
  if (flags.name !== undefined) fields.name = flags.name;
  if (flags.category !== undefined) fields.category = flags.category;
  if (flags.price !== undefined) fields.price = numberFlag(flags.price);
  if (flags.rating !== undefined) fields.rating = ratingFlag(flags.rating);
  if (flags.sku !== undefined) fields.sku = flags.sku === 'none' ? null : flags.sku;
  return fields as ProductPatch;
}
