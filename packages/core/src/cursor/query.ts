import { Utils, type EntityManager, type EntityName, type FilterQuery } from '@mikro-orm/core';
import type { QueryBuilder, SqlEntityManager } from '@mikro-orm/knex';
import type { Condition, Segment } from './segments.js';
import type { SortKey } from './types.js';

/** The SQL-capable entity manager behind `em` (every Catalog database is an SQL one). */
export function sqlEntityManager(em: EntityManager): SqlEntityManager {
  if (typeof (em as unknown as { createQueryBuilder?: unknown }).createQueryBuilder !== 'function') {
    throw new TypeError('paginate needs an SQL EntityManager (SQLite or PostgreSQL)');
  }
  return em as unknown as SqlEntityManager;
}

/**
 * The query for one segment: the caller's filter, the segment's key conditions and order, and
 * `limit` rows. Key conditions are raw SQL because MikroORM's filter objects cannot express a
 * row-value comparison, which is what lets both databases seek straight to the cursor.
 */
export function segmentQuery<T extends object>(
  em: SqlEntityManager,
  entity: EntityName<T>,
  where: Record<string, unknown>,
  segment: Segment,
  limit: number,
): QueryBuilder<T> {
  const meta = em.getMetadata().find<T>(Utils.className(entity));
  if (!meta) throw new TypeError(`paginate: ${Utils.className(entity)} is not a known entity`);
  const platform = em.getPlatform();
  const qb = em.createQueryBuilder(entity).select('*');
  const column = (key: SortKey) => {
    const prop = meta.properties[key.field as keyof typeof meta.properties];
    if (!prop) throw new TypeError(`paginate: ${meta.className} has no property ${key.field}`);
    return `${platform.quoteIdentifier(qb.alias)}.${platform.quoteIdentifier(prop.fieldNames[0]!)}`;
  };
  // Dates travel in cursors as epoch ms; each database wants its own representation back.
  const param = (key: SortKey, value: string | number) => (key.type === 'date' ? platform.processDateProperty(new Date(value)) : value);

  // The key conditions go first: given two range terms on one column (the cursor's and, say, a
  // min_price filter's), SQLite bounds its index search with the first one it meets.
  for (const condition of segment.conditions) {
    const [sql, params] = conditionSql(condition, column, param);
    qb.andWhere(sql, params);
  }
  qb.andWhere(where as FilterQuery<T>);
  const orderBy: Record<string, string> = {};
  for (const term of segment.order) orderBy[term.key.field] = term.nulls ? `${term.direction} nulls ${term.nulls}` : term.direction;
  return qb.orderBy(orderBy as never).limit(limit);
}

function conditionSql(
  condition: Condition,
  column: (key: SortKey) => string,
  param: (key: SortKey, value: string | number) => unknown,
): [string, unknown[]] {
  switch (condition.kind) {
    case 'eq':
      return [`${column(condition.key)} = ?`, [param(condition.key, condition.value)]];
    case 'isNull':
      return [`${column(condition.key)} is null`, []];
    case 'notNull':
      return [`${column(condition.key)} is not null`, []];
    case 'range': {
      const { keys, values, op } = condition;
      const params = keys.map((key, i) => param(key, values[i]!));
      if (keys.length === 1) return [`${column(keys[0]!)} ${op} ?`, params];
      return [`(${keys.map(column).join(', ')}) ${op} (${keys.map(() => '?').join(', ')})`, params];
    }
  }
}
