import type { ProductRow } from '../db/product-table.js';

/** Runs one statement in the writer's transaction. */
export type Execute = (sql: string, params: unknown[]) => Promise<unknown>;

/** Categories per statement when applying the totals (3 parameters each). */
const CATEGORIES_PER_STATEMENT = 300;

/**
 * The dashboard totals (tables product_stats and category_stats): the one rule that keeps them.
 * A write adds each row it removes with -1 and each row it leaves with +1 (an update does both),
 * so one product or a million cost the same few statements at the end of the transaction; every
 * product write goes through product-writes.ts, which applies it.
 *
 * Only live rows count. A category keeps the spelling of the first row that brought it in.
 */
export class StatsDelta {
  private live = 0;
  private ratingSum = 0;
  private rated = 0;
  private readonly categories = new Map<string, { category: string; n: number }>();

  /** Counts `row` in (`sign` 1) or out (-1). */
  add(row: Pick<ProductRow, 'deleted_at' | 'rating_tenths' | 'category' | 'category_folded'>, sign: 1 | -1): void {
    if (row.deleted_at !== null) return;
    this.live += sign;
    if (row.rating_tenths !== null) {
      this.ratingSum += sign * row.rating_tenths;
      this.rated += sign;
    }
    const entry = this.categories.get(row.category_folded);
    if (entry) entry.n += sign;
    else this.categories.set(row.category_folded, { category: row.category, n: sign });
  }

  /**
   * Writes the totals. The product_stats row is updated first by every writer, so on PostgreSQL it
   * serialises them and the category rows are always locked in one order (no deadlock).
   */
  async apply(execute: Execute): Promise<void> {
    const categories = [...this.categories].filter(([, { n }]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
    if (this.live === 0 && this.ratingSum === 0 && this.rated === 0 && categories.length === 0) return;
    await execute(
      'update product_stats set live_count = live_count + ?, rating_sum = rating_sum + ?, rated_count = rated_count + ? where id = 1',
      [this.live, this.ratingSum, this.rated],
    );
    for (let i = 0; i < categories.length; i += CATEGORIES_PER_STATEMENT) {
      const group = categories.slice(i, i + CATEGORIES_PER_STATEMENT);
      await execute(
        `insert into category_stats (category_folded, category, live_count) values ${group.map(() => '(?, ?, ?)').join(', ')}
         on conflict (category_folded) do update set live_count = category_stats.live_count + excluded.live_count`,
        group.flatMap(([folded, { category, n }]) => [folded, category, n]),
      );
    }
    if (categories.some(([, { n }]) => n < 0)) await execute('delete from category_stats where live_count <= 0', []);
  }
}
