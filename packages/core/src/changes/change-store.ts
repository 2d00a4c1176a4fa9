import type { ChangeType, Product } from '@catalog/contract';
import { SYSTEM_ACTOR, type Actor } from '../actor.js';
import type { DatabaseKind } from '../config.js';
import type { TransactionSql } from '../db/transaction-sql.js';
import type { ProductRow } from '../db/product-table.js';

/*
 * Appending to the change feed, inside the caller's transaction (products/product-writes.ts calls
 * it with every product write, so a change exists exactly when its write committed).
 */

/** The PostgreSQL channel a committed write announces itself on (change-watch.ts listens). */
export const CHANGES_CHANNEL = 'catalog_changes';

/** Who a change is recorded as written by: the actor's id, null for the system actor (CLI, operators). */
export function changeActorId(actor: Actor | null | undefined): string | null {
  return actor && actor.id !== SYSTEM_ACTOR.id ? actor.id : null;
}

/** The type of change from the row before a write to the row after it. */
export function changeTypeOf(before: ProductRow, after: ProductRow): ChangeType {
  if (before.deleted_at === null && after.deleted_at !== null) return 'product.deleted';
  if (before.deleted_at !== null && after.deleted_at === null) return 'product.restored';
  return 'product.updated';
}

/**
 * The insert of one change per product of a group, the products passed as ONE JSON parameter
 * (their wire JSON; the database takes each element's text as it is). Parameters: type, actor id,
 * at, products.
 */
function appendSql(database: DatabaseKind): string {
  if (database === 'postgresql') {
    return `insert into changes (type, product_id, product, actor_id, at)
      select ?, (value ->> 'id')::uuid, value, ?::uuid, ? from json_array_elements(?::json) as value`;
  }
  return `insert into changes (type, product_id, product, actor_id, at)
    select ?, value ->> '$.id', value, ?, ? from json_each(?) order by key`;
}

/**
 * Appends one change of `type` per product (in their order) in the transaction of `sql`; on
 * PostgreSQL also announces the commit to listeners (a NOTIFY is delivered only if and when the
 * transaction commits, once however many times it was sent).
 */
export async function appendChanges(
  sql: TransactionSql,
  database: DatabaseKind,
  type: ChangeType,
  products: readonly Product[],
  actorId: string | null,
  at: Date,
): Promise<void> {
  if (products.length === 0) return;
  const when = database === 'sqlite' ? at.getTime() : at;
  await sql(appendSql(database), [type, actorId, when, JSON.stringify(products)]);
  if (database === 'postgresql') await sql(`select pg_notify('${CHANGES_CHANNEL}', '')`);
}
