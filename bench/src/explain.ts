import { ProductListQuerySchema, type ProductSortBy, type SortOrder } from '@catalog/contract';
// The statements are built by core's own code (the cursor module's segment SQL, the listing's
// conditions and sort), so the plans shown are those of the statements the server sends.
import { segmentSql, type PageSource } from '../../packages/core/src/cursor/query.js';
import { planSegments } from '../../packages/core/src/cursor/segments.js';
import type { SortKey } from '../../packages/core/src/cursor/types.js';
import { productSort, productWhere } from '../../packages/core/src/products/product-query.js';
import { PRODUCT_WIRE_COLUMNS } from '../../packages/core/src/db/product-table.js';
import { deepOffset, deepPosition, SORTS } from './positions.js';
import type { RawDb } from './raw-db.js';
import { FILTER } from './scenarios.js';

/** Page size of the scenarios (the API's default), plus the one row that tells `has_more`. */
const READ = 21;

/**
 * The query plan of every statement a listing scenario sends (EXPLAIN QUERY PLAN on SQLite,
 * EXPLAIN on PostgreSQL), as markdown: first and deep page of every order, and the filtered
 * listing. The deep pages start at the bench's deep position (90% of the rows).
 */
export async function explainScenarios(db: RawDb, rows: number): Promise<string> {
  const out: string[] = [`### Query plans (${db.kind}, ${rows} products)`, '', '```'];
  const explain = async (title: string, sort: SortKey[], query: Record<string, string>, at?: unknown[]) => {
    const parsed = ProductListQuerySchema.parse(query);
    const { where } = productWhere(parsed);
    const position = at && { values: at as (string | number | null)[], inclusive: false };
    const segments = planSegments(sort, 'next', position);
    for (const [i, segment] of segments.entries()) {
      const { sql, params } = segmentSql(source(db.kind), where, segment, READ, PRODUCT_WIRE_COLUMNS);
      const prefix = db.kind === 'sqlite' ? 'explain query plan ' : 'explain ';
      const plan = (await db.all(prefix + sql, params)).map((row) => String(row.detail ?? row['QUERY PLAN']));
      const part = segments.length > 1 ? ` (segment ${i + 1} of ${segments.length})` : '';
      out.push(`-- ${title}${part}`, sql, ...plan.map((line) => `  → ${line}`), '');
    }
  };
  for (const { sortBy, order } of SORTS) {
    const sort = productSort(sortBy, order);
    const query = { sort_by: sortBy, sort_order: order };
    await explain(`first page ${sortBy} ${order}`, sort, query);
    const values = await deepPosition(db, sortBy as ProductSortBy, order as SortOrder, deepOffset(rows));
    await explain(`deep page ${sortBy} ${order}`, sort, query, values);
  }
  const filter = Object.fromEntries(new URLSearchParams(FILTER));
  await explain('filtered', productSort(filter.sort_by as ProductSortBy, filter.sort_order as SortOrder), filter);
  out.push('```');
  return out.join('\n');
}

/** The products table as the cursor module sees it: property names are the column names. */
function source(kind: RawDb['kind']): PageSource {
  const quote = (name: string) => `"${name}"`;
  return {
    table: quote('products'),
    column: (key) => quote(key.field),
    columnName: (field) => field,
    selectList: (properties) => (properties === undefined ? '*' : properties.map(quote).join(', ')),
    // Dates travel in cursors as epoch ms; SQLite stores them so, PostgreSQL takes a timestamp.
    param: (key, value) => (key.type === 'date' && kind === 'postgres' ? new Date(value) : value),
  };
}
