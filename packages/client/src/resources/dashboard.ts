import type { DashboardSummary } from '@catalog/contract';
import type { CatalogClient, RequestOptions } from '../client.js';

/** Catalog-wide numbers: `client.dashboard`. */
export class DashboardResource {
  readonly #client: CatalogClient;

  constructor(client: CatalogClient) {
    this.#client = client;
  }

  /**
   * Totals, average rating, priciest and newest products, counts per category
   * (`GET /dashboard/summary`, signed-in users).
   * @example
   * const { total_products, average_rating } = await client.dashboard.summary();
   * @throws {CatalogApiError} `unauthorized` (401) when not signed in.
   */
  summary(options: RequestOptions = {}): Promise<DashboardSummary> {
    return this.#client.send<DashboardSummary>({ ...options, method: 'GET', path: '/dashboard/summary' });
  }
}
