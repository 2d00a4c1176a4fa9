import type { EntityManager, Knex } from '@mikro-orm/knex';

/** Runs one statement with its values bound to the `?` parameters; resolves with the rows it returns. */
export type TransactionSql = <R extends object = Record<string, unknown>>(
  sql: string,
  params?: readonly unknown[],
) => Promise<R[]>;

/**
 * Statements in the transaction of `em` (or on its connection, outside one), with real bound
 * parameters: MikroORM's `execute` writes the values into the SQL text, which for a write of many
 * rows as one JSON parameter means escaping and parsing a large literal every time.
 */
export function transactionSql(em: EntityManager): TransactionSql {
  const knex: Knex = em.getTransactionContext<Knex.Transaction>() ?? em.getKnex();
  return async <R extends object>(sql: string, params: readonly unknown[] = []) => {
    const result: unknown = await knex.raw(sql, params as Knex.RawBinding[]);
    // node-postgres answers with a result object, sqlite3 with the rows themselves.
    return (Array.isArray(result) ? result : ((result as { rows?: R[] }).rows ?? [])) as R[];
  };
}
