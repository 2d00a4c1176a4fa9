import type { Orm } from './open.js';
import type { QueryObservers } from './query-observers.js';
import type { ReplicaSet } from './replica-set.js';
import type { RowReader } from './row-reader.js';

/**
 * Reads on a replica the set allows now, else on the primary (through the ORM's connection). A read
 * that fails on a replica — it stopped, or cancelled the statement in a conflict with recovery —
 * takes that replica out of rotation until its next good poll and runs again on the primary, so
 * losing a replica fails no read. Statements on a replica are timed as `kind` (the ORM's knex
 * listener times only the primary's).
 */
export function replicaRowReader(
  orm: Orm,
  replicas: ReplicaSet,
  observers: QueryObservers,
  kind: 'read' | 'scan',
): RowReader {
  const onPrimary: RowReader = <R extends object>(sql: string, params: readonly unknown[] = []) =>
    orm.em.getConnection('write').execute<R[]>(sql, [...params], 'all');
  return <R extends object>(sql: string, params: readonly unknown[] = []) => {
    const replica = replicas.pick();
    if (replica === undefined) return onPrimary<R>(sql, params);
    const onReplica = observers.timed(
      <T extends object>(text: string, values: readonly unknown[] = []) =>
        replica.execute<T[]>(text, [...values], 'all'),
      kind,
    );
    return onReplica<R>(sql, params).catch(() => {
      replicas.failed(replica);
      return onPrimary<R>(sql, params);
    });
  };
}
