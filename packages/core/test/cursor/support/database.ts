import type { EntityManager } from '@mikro-orm/core';
import { resolveConfig } from '../../../src/config.js';
import { createCursorCodec, type CursorCodec } from '../../../src/cursor/index.js';
import { ProductEntity } from '../../../src/db/entities.js';
import { openDatabase, type Orm } from '../../../src/db/open.js';
import type { ProductRow } from '../../../src/db/product-table.js';
import type { TestDatabase } from '../../../src/testing.js';

export const TEST_SECRET = 'cursor-test-secret-cursor-test-secret-0123';

export type { ProductRow };

/**
 * One migrated database for a whole test file: the property tests run hundreds of cases and
 * empty the products table between them instead of creating a database each time.
 */
export interface CursorDatabase {
  readonly name: TestDatabase['name'];
  readonly orm: Orm;
  readonly codec: CursorCodec;
  /** A fresh EntityManager, as each service call uses. */
  em(): EntityManager;
  /** Empties the products table and writes `rows`. */
  reset(rows: readonly ProductRow[]): Promise<void>;
  insert(rows: readonly ProductRow[]): Promise<void>;
  /** Runs SQL with `?` parameters. */
  execute<R = Record<string, unknown>[]>(sql: string, params?: unknown[]): Promise<R>;
  close(): Promise<void>;
}

export async function openCursorDatabase(db: TestDatabase): Promise<CursorDatabase> {
  const { url, drop } = await db.create();
  const orm = await openDatabase(resolveConfig({ database: url, secret: TEST_SECRET, migrate: true }));
  const connection = () => orm.em.getConnection();
  const insert = async (rows: readonly ProductRow[]) => {
    if (rows.length > 0)
      await orm.em.fork().insertMany(
        ProductEntity,
        rows.map((row) => ({ ...row })),
      );
  };
  return {
    name: db.name,
    orm,
    codec: createCursorCodec(TEST_SECRET),
    em: () => orm.em.fork(),
    async reset(rows) {
      await connection().execute('delete from products');
      await insert(rows);
    },
    insert,
    execute: <R>(sql: string, params: unknown[] = []) => connection().execute(sql, params) as Promise<R>,
    async close() {
      await orm.close(true);
      await drop();
    },
  };
}
