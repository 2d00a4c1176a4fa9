import test, { type ExecutionContext } from 'ava';
import type { Direction, SortKey, Travel } from '../../src/cursor/index.js';
import { pageSource, segmentSql, sqlEntityManager } from '../../src/cursor/query.js';
import { planSegments, type Position, type Segment } from '../../src/cursor/segments.js';
import { ProductEntity } from '../../src/db/entities.js';
import { testDatabases } from '../../src/testing.js';
import { openCursorDatabase, type CursorDatabase } from './support/database.js';
import { sortSpec, whereOf, type Filters, type SortName } from './support/model.js';

/*
 * Index use (SPEC §3, "the cost of a page does not grow with its depth"): every query the cursor
 * module sends for a product listing — every sort key and direction, both ways of travel, first
 * pages, cursors on rated and unrated rows, and the category + price-range filter — is an index
 * range read in order. A range condition from the cursor must appear in the index search itself
 * (a seek to the cursor), never as a filter applied after reading from the start.
 */

const ROWS = 30_000;
const CURSOR_ID = '01900000-0000-7000-8000-000000000000';
const CURSOR_MS = Date.UTC(2026, 0, 1);

interface Case {
  title: string;
  segment: Segment;
  filters: Filters;
  /** The index the plan must use. */
  index: string;
}

const INDEX_OF: Record<SortName, string> = {
  created_at: 'created_at',
  price: 'price',
  rating: 'rated',
  name: 'name',
};

function cursorValues(name: SortName, rated: boolean): (string | number | null)[] {
  const value = { created_at: CURSOR_MS, price: 50_000, rating: rated ? 25 : null, name: 'name 5000' }[name];
  return [value, CURSOR_ID];
}

/** Every segment query of every product sort order, direction, travel and kind of position. */
function cases(): Case[] {
  const out: Case[] = [];
  const add = (
    label: string,
    sort: SortKey[],
    travel: Travel,
    position: Position | undefined,
    filters: Filters,
    index: (s: Segment) => string,
  ) => {
    planSegments(sort, travel, position).forEach((segment, i) =>
      out.push({ title: `${label} ${travel} segment ${i + 1}`, segment, filters, index: index(segment) }),
    );
  };
  for (const name of ['created_at', 'price', 'rating', 'name'] as SortName[]) {
    for (const direction of ['asc', 'desc'] as Direction[]) {
      const sort = sortSpec(name, direction);
      const index = (segment: Segment) =>
        segment.conditions.some((c) => c.kind === 'isNull' && c.key.field === 'rating_tenths')
          ? 'unrated'
          : INDEX_OF[name];
      for (const travel of ['next', 'prev'] as Travel[]) {
        add(`${name} ${direction} first page`, sort, travel, undefined, {}, index);
        add(
          `${name} ${direction} from a cursor`,
          sort,
          travel,
          { values: cursorValues(name, true), inclusive: false },
          {},
          index,
        );
        add(
          `${name} ${direction} back at a cursor row`,
          sort,
          travel,
          { values: cursorValues(name, true), inclusive: true },
          {},
          index,
        );
        if (name === 'rating')
          add(
            `rating ${direction} from an unrated cursor`,
            sort,
            travel,
            { values: cursorValues(name, false), inclusive: false },
            {},
            index,
          );
      }
    }
  }
  const filters: Filters = { category: 'books', min_price: 10_000, max_price: 90_000 };
  for (const direction of ['asc', 'desc'] as Direction[]) {
    for (const travel of ['next', 'prev'] as Travel[]) {
      const sort = sortSpec('price', direction);
      add(
        `category + price range, price ${direction}, first page`,
        sort,
        travel,
        undefined,
        filters,
        () => 'category_price',
      );
      add(
        `category + price range, price ${direction}, from a cursor`,
        sort,
        travel,
        { values: cursorValues('price', true), inclusive: false },
        filters,
        () => 'category_price',
      );
    }
  }
  return out;
}

/** How the range condition of a segment reads in each database's plan (a seek, not a filter). */
function seekText(segment: Segment, postgres: boolean): string | undefined {
  const range = segment.conditions.find((c) => c.kind === 'range');
  if (!range || range.kind !== 'range') return undefined;
  const columns = range.keys.map((key) => key.field);
  if (postgres)
    return columns.length > 1 ? `ROW(${columns.join(', ')}) ${range.op} ROW(` : `(${columns[0]} ${range.op} `;
  // SQLite prints a bound's side only (`>` for both `>` and `>=`).
  const side = range.op[0]!;
  return columns.length > 1 ? `(${columns.join(',')})${side}(?` : `${columns[0]}${side}?`;
}

async function seed(db: CursorDatabase): Promise<void> {
  // Deterministic rows: 40 prices × 51 ratings (one in five unrated), one row in twenty deleted.
  const postgres = db.name === 'postgres';
  const series = postgres
    ? `generate_series(1, ${ROWS}) as g(n)`
    : `(with recursive s(n) as (select 1 union all select n + 1 from s where n < ${ROWS}) select n from s) as g`;
  const id = postgres ? `gen_random_uuid()` : `lower(hex(randomblob(16)))`;
  const at = (expr: string) => (postgres ? `to_timestamp((${expr}) / 1000.0)` : `(${expr})`);
  const category = `case n % 4 when 0 then 'Books' when 1 then 'Toys' when 2 then 'Food' else 'Garden' end`;
  await db.execute(
    `insert into products (id, name, name_folded, category, category_folded, price_cents, rating_tenths, created_at, updated_at, deleted_at)
     select ${id}, 'name ' || n, 'name ' || n, ${category}, lower(${category}), (n % 40) * 2500,
       case when n % 5 = 0 then null else n % 51 end, ${at(`${CURSOR_MS - ROWS * 1000} + n * 1000`)}, ${at(String(CURSOR_MS))},
       case when n % 20 = 0 then ${at(String(CURSOR_MS))} else null end
     from ${series}`,
  );
}

async function explain(db: CursorDatabase, c: Case): Promise<string> {
  const em = sqlEntityManager(db.em());
  const statement = segmentSql(pageSource(em, ProductEntity), whereOf(c.filters), c.segment, 21);
  const sql = em
    .getKnex()
    .raw(statement.sql, statement.params as never[])
    .toQuery();
  if (db.name === 'postgres') {
    const rows = await db.execute<{ 'QUERY PLAN': string }[]>(`explain ${sql}`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }
  const rows = await db.execute<{ detail: string }[]>(`explain query plan ${sql}`);
  return rows.map((row) => row.detail).join('\n');
}

/** Checks the plan of every case (`CATALOG_PRINT_PLANS=1` logs them). */
async function checkPlans(t: ExecutionContext, db: CursorDatabase, analyzed: boolean): Promise<void> {
  const postgres = db.name === 'postgres';
  // Without statistics SQLite's planner guesses, and for "category, price range, from a cursor"
  // it guesses the price index (filtering the category); ANALYZE gives it the facts.
  const filteredNeedsStats = !postgres && !analyzed;
  for (const c of cases().filter((c) => !(filteredNeedsStats && Object.keys(c.filters).length > 0))) {
    const plan = await explain(db, c);
    const index = `products_live_${c.index}_index`;
    const where = `${c.title}:\n${plan}`;
    if (process.env.CATALOG_PRINT_PLANS) t.log(where);
    if (postgres) {
      t.regex(plan, new RegExp(`Index (Only )?Scan( Backward)? using ${index} on products`), where);
      t.notRegex(plan, /Sort|Seq Scan|Bitmap/, where);
    } else {
      t.regex(plan, new RegExp(`^SEARCH products USING (COVERING )?INDEX ${index} \\(deleted_at=\\?`), where);
      t.notRegex(plan, /TEMP B-TREE|^SCAN/m, where);
    }
    const seek = seekText(c.segment, postgres);
    // PostgreSQL lists seek bounds as "Index Cond" (a "Filter" would read from the start).
    const searched = postgres
      ? plan
          .split('\n')
          .filter((line) => line.includes('Index Cond:'))
          .join('\n')
          .replace(/\((\w+)\)::\w+/g, '$1') // `(name)::text` → `name`
      : plan;
    if (seek) t.true(searched.includes(seek), `${where}\nmissing the seek ${seek}`);
  }
}

for (const database of testDatabases()) {
  test.serial(
    `every page query of every sort order reads an index range from the cursor [${database.name}]`,
    async (t) => {
      const db = await openCursorDatabase(database);
      t.teardown(() => db.close());
      await seed(db);
      // SQLite plans without statistics unless someone runs ANALYZE: check both ways.
      if (db.name === 'sqlite') await checkPlans(t, db, false);
      await db.execute('analyze');
      await checkPlans(t, db, true);
    },
  );
}
