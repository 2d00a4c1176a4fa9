import { Utils, type EntityManager, type EntityName } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import type { Condition, Segment } from './segments.js';
import type { SortKey, SqlCondition } from './types.js';

/** The SQL-capable entity manager behind `em` (every Catalog database is an SQL one). */
export function sqlEntityManager(em: EntityManager): SqlEntityManager {
  if (typeof (em as unknown as { createQueryBuilder?: unknown }).createQueryBuilder !== 'function') {
    throw new TypeError('paginate needs an SQL EntityManager (SQLite or PostgreSQL)');
  }
  return em as unknown as SqlEntityManager;
}

/** A statement and the values of its `?` parameters, as the connection's `execute` takes it. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** What a segment query needs to know of the entity's table. */
export interface PageSource {
  /** Quoted table name. */
  table: string;
  /** Quoted column of a sort key's field. */
  column(key: SortKey): string;
  /** The column of an entity property, as a row read with `select *` names it. */
  columnName(field: string): string;
  /** The select list: `*`, or the quoted columns of `properties` (entity property names). */
  selectList(properties: readonly string[] | undefined): string;
  /** A cursor value as the database wants it back (dates travel in cursors as epoch ms). */
  param(key: SortKey, value: string | number): unknown;
}

/** The table, columns and parameter conversions of `entity` on the database behind `em`. */
export function pageSource<E extends object>(em: SqlEntityManager, entity: EntityName<E>): PageSource {
  const meta = em.getMetadata().find(Utils.className(entity));
  if (!meta) throw new TypeError(`paginate: ${Utils.className(entity)} is not a known entity`);
  const platform = em.getPlatform();
  const columnName = (field: string) => {
    const prop = meta.properties[field];
    if (!prop) throw new TypeError(`paginate: ${meta.className} has no property ${field}`);
    return prop.fieldNames[0]!;
  };
  return {
    table: platform.quoteIdentifier(meta.tableName),
    column: (key) => platform.quoteIdentifier(columnName(key.field)),
    columnName,
    selectList: (properties) =>
      properties === undefined
        ? '*'
        : properties.map((field) => platform.quoteIdentifier(columnName(field))).join(', '),
    param: (key, value) => (key.type === 'date' ? platform.processDateProperty(new Date(value)) : value),
  };
}

/**
 * The SQL of one segment: the segment's key conditions, the caller's conditions, the segment's
 * order and `limit` rows. Written as SQL text, not through the query builder: the row-value
 * comparison that lets both databases seek straight to the cursor has no MikroORM filter form,
 * and building a query costs more than running it on the hot listing path.
 */
export function segmentSql(
  source: PageSource,
  where: readonly SqlCondition[],
  segment: Segment,
  limit: number,
  columns?: readonly string[],
): Statement {
  const clauses: string[] = [];
  const params: unknown[] = [];
  // The key conditions go first: given two range terms on one column (the cursor's and, say, a
  // min_price filter's), SQLite bounds its index search with the first one it meets.
  for (const condition of segment.conditions) {
    const [sql, values] = conditionSql(condition, source);
    clauses.push(sql);
    params.push(...values);
  }
  for (const condition of where) {
    clauses.push(`(${condition.sql})`);
    params.push(...(condition.params ?? []));
  }
  const order = segment.order.map(
    (term) => `${source.column(term.key)} ${term.direction}${term.nulls ? ` nulls ${term.nulls}` : ''}`,
  );
  const filter = clauses.length > 0 ? ` where ${clauses.join(' and ')}` : '';
  params.push(limit);
  return {
    sql: `select ${source.selectList(columns)} from ${source.table}${filter} order by ${order.join(', ')} limit ?`,
    params,
  };
}

function conditionSql(condition: Condition, source: PageSource): [string, unknown[]] {
  const { column, param } = source;
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
