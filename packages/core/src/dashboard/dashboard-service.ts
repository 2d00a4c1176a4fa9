import type { DashboardSummary } from '@catalog/contract';
import type { CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { PRODUCT_SELECT, toProduct, type ProductWireRow } from '../db/product-table.js';

const RECENT_COUNT = 5;

interface Totals {
  total: number | string;
  rating_sum: number | string | null;
  rated: number | string;
}

/**
 * Catalog-wide numbers over live (not soft-deleted) products. Counts and the rating sum come from
 * aggregates kept current on every write; the highest-priced and newest products are index seeks.
 */
export class DashboardService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * @example const { total_products, average_rating } = await catalog.dashboard.summary();
   */
  async summary(options?: CallOptions): Promise<DashboardSummary> {
    const { read } = this.ctx;
    // Plain rows through the read connections, no entities: the summary is read-only and on
    // every dashboard load.
    const [[totals], categories, [highest], recent] = await Promise.all([
      // Totals and per-category counts are kept with every write (products/product-stats.ts): no table scan.
      read<Totals>('select live_count as total, rating_sum, rated_count as rated from product_stats where id = 1'),
      read<{ category: string; count: number | string }>(
        'select category, live_count as count from category_stats where live_count > 0 order by live_count desc, category_folded asc',
      ),
      // Index seeks on the live price and created_at indexes (migration 0002).
      read<ProductWireRow>(
        `select ${PRODUCT_SELECT} from products where deleted_at is null order by price_cents desc, id desc limit 1`,
      ),
      read<ProductWireRow>(
        `select ${PRODUCT_SELECT} from products where deleted_at is null order by created_at desc, id desc limit ${RECENT_COUNT}`,
      ),
    ]);
    const admin = options?.actor?.role === 'admin';
    const rated = Number(totals?.rated ?? 0);
    return {
      total_products: Number(totals?.total ?? 0),
      // Sum of tenths over count, then /10: exact integers until the final rounding to 2 decimals.
      average_rating: rated === 0 ? null : Math.round((Number(totals?.rating_sum) / rated) * 10) / 100,
      highest_priced_product: highest ? toProduct(highest, admin) : null,
      recent_products: recent.map((row) => toProduct(row, admin)),
      categories: categories.map((row) => ({ category: row.category, count: Number(row.count) })),
    };
  }
}
