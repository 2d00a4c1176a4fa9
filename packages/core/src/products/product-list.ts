import { PAGE_LIMIT_MAX, type Page, type Product, type ProductListQueryParsed } from '@catalog/contract';
import { isAdmin, requireAdmin, type CallOptions } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { paginateRows } from '../cursor/index.js';
import { ProductEntity, type ProductRecord } from '../db/entities.js';
import { isIndexBounded, productSort, productWhere } from './product-query.js';
import { planSearch, type SearchPlan, type SearchPlanner } from './product-search.js';
import { productTotal } from './product-total.js';
import { fold, PRODUCT_WIRE_COLUMNS, toProduct, type ProductWireRow } from '../db/product-table.js';

/**
 * A candidate list no longer than this reads no more rows (each by rowid) than the largest page
 * of an index range (plus the row that tells `has_more`), so its page query counts as bounded.
 */
const BOUNDED_CANDIDATES = PAGE_LIMIT_MAX + 1;

const isFewCandidates = (plan: SearchPlan | undefined) =>
  plan?.kind === 'candidates' && plan.rowids.length <= BOUNDED_CANDIDATES;

/**
 * One page of products (ProductService.list / listParsed) for a query ProductListQuerySchema has
 * validated already: plans a search (candidate rows from the trigram index, or a walk of the
 * order's index; product-search.ts), and reads the page through the cursor module (and the total,
 * when asked). `planner` is for tests, which run every plan on the same queries.
 * @throws {InvalidCursorError|ForbiddenError}
 */
export async function listProducts(
  ctx: ServiceContext,
  parsed: ProductListQueryParsed,
  options?: CallOptions,
  planner: SearchPlanner = planSearch,
): Promise<Page<Product>> {
  if (parsed.include_deleted) requireAdmin(options);
  const admin = isAdmin(options);
  const database = ctx.config.database.kind;
  // No fork: paginateRows takes only the table's metadata from the entity manager and reads the
  // rows through `read`, so a per-request identity map would be built for nothing.
  const em = ctx.orm.em;
  const plan =
    parsed.search === undefined
      ? undefined
      : await planner(
          ctx.scan,
          fold(parsed.search),
          {
            database,
            sortBy: parsed.sort_by,
            wanted: parsed.limit + 1,
            filtered: !isIndexBounded({ ...parsed, search: undefined }),
          },
          ctx.read,
        );
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
      isIndexBounded(parsed) || isFewCandidates(plan) ? ctx.read : ctx.scan,
    ),
    parsed.include_total ? productTotal(ctx, parsed, plan) : undefined,
  ]);
  const data = page.data.map((row) => toProduct(row, admin));
  return total === undefined ? { ...page, data } : { ...page, data, total };
}
