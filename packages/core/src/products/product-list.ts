import { ProductListQuerySchema, type Page, type Product, type ProductListQuery } from '@catalog/contract';
import { isAdmin, requireAdmin, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { paginateRows } from '../cursor/index.js';
import { ProductEntity, type ProductRecord } from '../db/entities.js';
import { validate } from '../validate.js';
import { isIndexBounded, productSort, productWhere } from './product-query.js';
import { planSearch, type SearchPlanner } from './product-search.js';
import { productTotal } from './product-total.js';
import { fold, PRODUCT_WIRE_COLUMNS, toProduct, type ProductWireRow } from './product-table.js';

/**
 * One page of products (ProductService.list): validates the query, plans a search (candidate rows
 * from the trigram index, or a walk of the order's index; product-search.ts), and reads the page
 * through the cursor module (and the total, when asked). `planner` is for tests, which run every
 * plan on the same queries.
 * @throws {ValidationError|InvalidCursorError|ForbiddenError}
 */
export async function listProducts(
  ctx: ServiceContext,
  query: ProductListQuery,
  options?: CallOptions,
  planner: SearchPlanner = planSearch,
): Promise<Page<Product>> {
  const parsed = validate(ProductListQuerySchema, query);
  if (parsed.include_deleted) requireAdmin(options);
  const admin = isAdmin(options);
  const database = ctx.config.database.kind;
  const em = ctx.orm.em.fork();
  const plan =
    parsed.search === undefined
      ? undefined
      : await planner(ctx.scan, fold(parsed.search), {
          database,
          sortBy: parsed.sort_by,
          wanted: parsed.limit + 1,
          filtered: !isIndexBounded({ ...parsed, search: undefined }),
        });
  const { where, filters } = productWhere(parsed, plan);
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
    parsed.include_total ? productTotal(ctx, parsed, plan) : undefined,
  ]);
  const data = page.data.map((row) => toProduct(row, admin));
  return total === undefined ? { ...page, data } : { ...page, data, total };
}
