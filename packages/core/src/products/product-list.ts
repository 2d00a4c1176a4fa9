import type { Page, Product, ProductListQueryParsed } from '@catalog/contract';
import { isAdmin, requireAdmin, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { paginateRows } from '../cursor/index.js';
import { ProductEntity, type ProductRecord } from '../db/entities.js';
import { isIndexBounded, productSort, productWhere } from './product-query.js';
import { searchCandidates } from './product-search.js';
import { productTotal } from './product-total.js';
import { fold, PRODUCT_WIRE_COLUMNS, toProduct, type ProductWireRow } from './product-table.js';

/**
 * One page of products (ProductService.list / listParsed) for a query ProductListQuerySchema has
 * validated already: narrows a search to its trigram candidates, and reads the page through the
 * cursor module (and the total, when asked).
 * @throws {InvalidCursorError|ForbiddenError}
 */
export async function listProducts(
  ctx: ServiceContext,
  parsed: ProductListQueryParsed,
  options?: CallOptions,
): Promise<Page<Product>> {
  if (parsed.include_deleted) requireAdmin(options);
  const admin = isAdmin(options);
  const database = ctx.config.database.kind;
  // No fork: paginateRows takes only the table's metadata from the entity manager and reads the
  // rows through `read`, so a per-request identity map would be built for nothing.
  const em = ctx.orm.em;
  const candidates =
    parsed.search === undefined ? undefined : await searchCandidates(ctx.scan, fold(parsed.search), database);
  const { where, filters } = productWhere(parsed, database, candidates);
  // Plain rows shaped once into the wire format: no entities on the hottest read path.
  const [page, total] = await Promise.all([
    paginateRows<ProductRecord, ProductWireRow>(
      em,
      ProductEntity,
      {
        where,
        sort: productSort(parsed.sort_by, parsed.sort_order),
        columns: PRODUCT_WIRE_COLUMNS,
        limit: parsed.limit,
        cursor: parsed.cursor,
        filters,
      },
      ctx.cursors,
      isIndexBounded(parsed) ? ctx.read : ctx.scan,
    ),
    parsed.include_total ? productTotal(ctx, parsed, database, candidates) : undefined,
  ]);
  const data = page.data.map((row) => toProduct(row, admin));
  return total === undefined ? { ...page, data } : { ...page, data, total };
}
