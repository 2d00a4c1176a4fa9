import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';
import type { RowReader } from './row-reader.js';

/**
 * Statement texts a process prepares. The bounded reads are a few shapes (a listing per order and
 * direction, a row by id, the dashboard's seeks), far fewer than this; a text past the limit still
 * runs, unprepared, so a stream of distinct texts never grows the server's memory.
 */
export const PREPARED_TEXTS_MAX = 256;

/** What this reader uses of a node-postgres client from knex's pool. */
interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: object[] }>;
}

/** SQLSTATE of "cached plan must not change result type": the table changed under a prepared `select *`. */
const PLAN_RESULT_CHANGED = '0A000';

/**
 * A reader for PostgreSQL's bounded statements that runs each one as a named prepared statement on
 * a connection of the ORM's own pool (so with its type parsers: rows are what the ORM's `execute`
 * returns). A statement text is parsed and planned once per connection instead of on every run —
 * on a keyset page that planning is about half of PostgreSQL's work (`pgbench -M prepared` against
 * `-M extended`, bench/README.md). Only statements whose cost is bounded by their LIMIT come here:
 * a prepared statement may move to a generic plan after five runs, which suits an index range
 * but could misjudge a search term, so scans keep the ORM's path.
 *
 * The statement is the same text knex would send: each `?` is the next parameter (`\?` a literal
 * question mark), numbered from `$1` up as PostgreSQL wants them.
 * @throws {TypeError} (from the reader) when the text's `?` count differs from the parameters'.
 */
export function preparedPostgresReader(knex: () => Knex): RowReader {
  const names = new Map<string, { name: string; text: string }>();
  const statementOf = (sql: string, count: number) => {
    const known = names.get(sql);
    if (known) return known;
    const text = positional(sql, count);
    if (names.size >= PREPARED_TEXTS_MAX) return { name: '', text };
    const statement = { name: `catalog_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`, text };
    names.set(sql, statement);
    return statement;
  };

  return async <R extends object>(sql: string, params: readonly unknown[] = []) => {
    const { name, text } = statementOf(sql, params.length);
    const values = [...params];
    const client = knex().client;
    const connection = (await client.acquireConnection()) as PgClient;
    try {
      const result = await connection
        .query(name ? { name, text, values } : { text, values })
        .catch((error: unknown) => {
          // A prepared `select *` whose table gained or lost a column (a migration while serving)
          // fails rather than return a different row shape; the text still runs as it is.
          if (name && (error as { code?: unknown }).code === PLAN_RESULT_CHANGED)
            return connection.query({ text, values });
          throw error;
        });
      return result.rows as R[];
    } finally {
      await client.releaseConnection(connection);
    }
  };
}

/** `sql` with each `?` parameter mark numbered from `$1` up (knex's rule for raw SQL: `\?` is a literal `?`). */
export function positional(sql: string, count: number): string {
  let next = 0;
  const text = sql.replace(/\\\?|\?/g, (match) => (match === '?' ? `$${++next}` : '?'));
  if (next !== count) throw new TypeError(`SQL statement expects ${next} parameters, got ${count}: ${sql}`);
  return text;
}
