import { z } from 'zod';
import { ProductSchema } from './product.js';

export const CategoryCountSchema = z.object({ category: z.string(), count: z.number().int() });

export const DashboardSummarySchema = z.object({
  total_products: z.number().int(),
  /** Average of rated products, 2 decimals; null when none is rated. */
  average_rating: z.number().nullable(),
  highest_priced_product: ProductSchema.nullable(),
  /** The 5 newest products. */
  recent_products: z.array(ProductSchema),
  categories: z.array(CategoryCountSchema),
});
export type DashboardSummary = z.infer<typeof DashboardSummarySchema>;
