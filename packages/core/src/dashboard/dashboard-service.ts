import type { DashboardSummary } from '@catalog/contract';
import type { CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { ProductEntity, type ProductRecord } from '../db/entities.js';
import { toProduct } from '../products/product-view.js';

const RECENT_COUNT = 5;

interface Totals {
  total: number | string;
  rating_sum: number | string | null;
  rated: number | string;
}

/** Catalog-wide numbers over live (not soft-deleted) products, from aggregate queries only. */
export class DashboardService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * @example const { total_products, average_rating } = await catalog.dashboard.summary();
   */
  async summary(options?: CallOptions): Promise<DashboardSummary> {
    const em = this.ctx.orm.em.fork();
    const live = { deleted_at: null };
    const [totals] = await em
      .createQueryBuilder(ProductEntity)
      .select([
        'count(*) as total',
        'sum(rating_tenths) as rating_sum',
        'count(rating_tenths) as rated',
      ])
      .where(live)
      .execute<Totals[]>('all', false);
    const categories = await em
      .createQueryBuilder(ProductEntity)
      .select(['min(category) as category', 'count(*) as count'])
      .where(live)
      .groupBy('category_folded')
      .orderBy({ ['count(*)']: 'desc', category_folded: 'asc' })
      .execute<{ category: string; count: number | string }[]>('all', false);
    const highest = await em.findOne(ProductEntity, live, { orderBy: { price_cents: 'desc', id: 'desc' } });
    const recent = await em.find(ProductEntity, live, { orderBy: { created_at: 'desc', id: 'desc' }, limit: RECENT_COUNT });
    const admin = options?.actor?.role === 'admin';
    const rated = Number(totals?.rated ?? 0);
    return {
      total_products: Number(totals?.total ?? 0),
      // Sum of tenths over count, then /10: exact integers until the final rounding to 2 decimals.
      average_rating: rated === 0 ? null : Math.round((Number(totals?.rating_sum) / rated) * 10) / 100,
      highest_priced_product: highest ? toProduct(highest, admin) : null,
      recent_products: recent.map((record: ProductRecord) => toProduct(record, admin)),
      categories: categories.map((row) => ({ category: row.category, count: Number(row.count) })),
    };
  }
}
