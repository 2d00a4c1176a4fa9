import { performance } from 'node:perf_hooks';
import type { Knex } from '@mikro-orm/knex';
import type { RowReader } from './row-reader.js';

/**
 * Which way a statement went (db/row-reader.ts): `read` is the bounded-statement reader (a SQLite
 * file's own connection, or PostgreSQL's prepared statements), `scan` the SQLite scan threads;
 * `orm` is everything through the ORM's `execute` — writes, transactions, PostgreSQL's scans, and
 * on `:memory:` the reads too.
 */
export type QueryKind = 'read' | 'scan' | 'orm';

/**
 * Told the wall-clock milliseconds of each finished statement (failed ones included). Called in
 * the async context of the code that ran the statement, so a server can add the time to the
 * request it belongs to. Must be cheap and must not throw.
 */
export type QueryObserver = (durationMs: number, kind: QueryKind) => void;

/** What knex's query events carry that matters here. */
interface KnexQueryEvent {
  __knexUid?: string;
  /** Set on statements of the query runner, which always ends them with a response or an error event. */
  method?: string;
}

/**
 * The observers of one catalog's statements, and the hooks that time them. While nobody observes,
 * no timing happens: the readers call straight through and no knex listener is attached.
 */
export class QueryObservers {
  private readonly observers = new Set<QueryObserver>();
  private detachKnex: (() => void) | undefined;

  constructor(private readonly knex: () => Knex) {}

  /**
   * Adds an observer; returns the function that removes it.
   *
   * @example
   * const stop = observers.add((ms, kind) => histogram.observe({ kind }, ms / 1000));
   */
  add(observer: QueryObserver): () => void {
    this.observers.add(observer);
    this.detachKnex ??= timeKnexStatements(this.knex(), (ms) => this.notify(ms, 'orm'));
    return () => {
      this.observers.delete(observer);
      if (this.observers.size === 0) {
        this.detachKnex?.();
        this.detachKnex = undefined;
      }
    };
  }

  /** `reader`, timed whenever someone observes. */
  timed(reader: RowReader, kind: QueryKind): RowReader {
    return <R extends object>(sql: string, params?: readonly unknown[]) => {
      if (this.observers.size === 0) return reader<R>(sql, params);
      const start = performance.now();
      const done = () => this.notify(performance.now() - start, kind);
      const rows = reader<R>(sql, params);
      rows.then(done, done);
      return rows;
    };
  }

  private notify(durationMs: number, kind: QueryKind): void {
    for (const observer of this.observers) observer(durationMs, kind);
  }
}

/**
 * Times every statement knex runs, from its `query` event to its `query-response` or
 * `query-error` (the driver's time, not the wait for a pooled connection). A connection runs one
 * statement at a time, so its id pairs the events; statements outside the query runner (a
 * transaction's BEGIN/COMMIT) send no response event and are not timed.
 */
function timeKnexStatements(knex: Knex, report: (ms: number) => void): () => void {
  const started = new Map<string, number>();
  const onQuery = (query: KnexQueryEvent) => {
    if (query.method !== undefined && query.__knexUid !== undefined) started.set(query.__knexUid, performance.now());
  };
  const onEnd = (query: KnexQueryEvent | undefined) => {
    const id = query?.__knexUid;
    if (id === undefined) return;
    const start = started.get(id);
    if (start === undefined) return;
    started.delete(id);
    report(performance.now() - start);
  };
  const onResponse = (_response: unknown, query: KnexQueryEvent) => onEnd(query);
  const onError = (_error: unknown, query: KnexQueryEvent) => onEnd(query);
  knex.on('query', onQuery);
  knex.on('query-response', onResponse);
  knex.on('query-error', onError);
  return () => {
    knex.off('query', onQuery);
    knex.off('query-response', onResponse);
    knex.off('query-error', onError);
    started.clear();
  };
}
