import type { ProductListQueryParsed } from '@catalog/contract';
import type { ServiceContext } from '../context.js';
import { productWhere } from './product-query.js';
import { countingPlan, type SearchPlan } from './product-search.js';
import { fold } from '../db/product-table.js';

type TotalQuery = Omit<ProductListQueryParsed, 'cursor' | 'limit' | 'sort_by' | 'sort_order'>;

/**
 * The number of products a listing matches over all its pages (`include_total`). Live products
 * with no filter, or with `category` alone, are read from the totals every write keeps
 * (product-stats.ts): one row, whatever the size of the table. Anything else is a real count
 * under the listing's own conditions (productWhere), so the total and the pages agree on what
 * matches. The count is a statement of its own: under concurrent writes it may differ from the
 * page by the rows written in between.
 */
export async function productTotal(ctx: ServiceContext, query: TotalQuery, plan?: SearchPlan): Promise<number> {
  const { search, sku, category, min_price, max_price, min_rating, include_deleted } = query;
  const onlyCategory = [search, sku, min_price, max_price, min_rating].every((value) => value === undefined);
  if (onlyCategory && !include_deleted) {
    const [row] =
      category === undefined
        ? await ctx.read<{ n: number | string }>('select live_count as n from product_stats where id = 1')
        : await ctx.read<{ n: number | string }>(
            'select live_count as n from category_stats where category_folded = ?',
            [fold(category)],
          );
    return Number(row?.n ?? 0);
  }
  const { where } = productWhere(query, plan && countingPlan(plan, fold(search!), ctx.config.database.kind));
  const conditions = where.length > 0 ? ` where ${where.map((c) => `(${c.sql})`).join(' and ')}` : '';
  const [row] = await ctx.scan<{ n: number | string }>(
    `select count(*) as n from products${conditions}`,
    where.flatMap((c) => c.params ?? []),
  );
  return Number(row?.n ?? 0);
}
