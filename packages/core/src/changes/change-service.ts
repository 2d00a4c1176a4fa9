import {
  ChangeListQuerySchema,
  FEED_END,
  type Change,
  type ChangeListQuery,
  type ChangePage,
  type ChangeType,
  type Product,
} from '@catalog/contract';
import type { ServiceContext } from '../context.js';
import { paginateRows, type CursorBinding, type SqlCondition } from '../cursor/index.js';
import { ChangeEntity, type ChangeRecord } from '../db/entities.js';
import { CursorExpiredError } from '../errors.js';
import { toIso } from '../db/product-table.js';
import { validate } from '../validate.js';
import { changeSort, isBefore, positionOf, settledChanges, startPosition } from './change-position.js';
import { pruneChanges } from './change-retention.js';
import type { ChangeWake } from './change-watch.js';

/** A change as the database returns it. */
interface ChangeDbRow {
  seq: number | string;
  txid: number | string;
  type: ChangeType;
  product_id: string;
  /** JSON text on SQLite, parsed by the driver on PostgreSQL. */
  product: string | Product;
  actor_id: string | null;
  at: Date | number | string;
}

/** Changes a watcher reads per page. */
const WATCH_PAGE = 100;

/**
 * How long a PostgreSQL watcher waits without a notification before reading again: a committed
 * change stays unreadable while an older transaction is still open, and that transaction's end
 * sends no notification if it wrote no product.
 */
const POSTGRES_RECHECK_MS = 1000;

export interface WatchOptions {
  /** Where to start: a change's `id` or a page's `next_cursor`; none = from the oldest change kept. */
  cursor?: string | null | undefined;
  /** Only changes of this type. */
  type?: ChangeType | undefined;
  /** Ends the iteration (it returns; no error is thrown). */
  signal?: AbortSignal | undefined;
}

/**
 * The change feed: every product write, oldest first, each exactly once. Reads need no actor (the
 * server decides who may call it over HTTP).
 */
export class ChangeService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly wake: ChangeWake,
  ) {}

  /**
   * One page of changes after `cursor`, oldest first. `next_cursor` is never null: at the end of
   * the feed it points after the last change returned (or stays where it was), so a reader polls
   * with it. The cursor `FEED_END` ('now') asks for the current end: an empty page whose
   * `next_cursor` is the position after the last change committed.
   * @example const page = await catalog.changes.list({ cursor: saved, limit: 100 });
   * @throws {ValidationError|InvalidCursorError}
   * @throws {CursorExpiredError} when changes after the cursor's position were pruned.
   */
  list(query: ChangeListQuery = {}): Promise<ChangePage> {
    return this.page(query, false);
  }

  /** `list`, on the primary when `latest` and there are read replicas. */
  private async page(query: ChangeListQuery, latest: boolean): Promise<ChangePage> {
    const parsed = validate(ChangeListQuerySchema, query);
    if (parsed.cursor === FEED_END)
      return { data: [], next_cursor: await this.endCursor(), prev_cursor: null, has_more: false };
    const database = this.ctx.config.database.kind;
    const binding = this.binding();
    const state = parsed.cursor === undefined ? undefined : this.ctx.cursors.decode(parsed.cursor, binding);
    if (state) await this.refuseExpired(state.values);
    const where: SqlCondition[] = [...settledChanges(database)];
    if (parsed.type) where.push({ sql: 'type = ?', params: [parsed.type] });
    const page = await paginateRows<ChangeRecord, ChangeDbRow>(
      this.ctx.orm.em.fork(),
      ChangeEntity,
      { where, sort: binding.sort, limit: parsed.limit, cursor: parsed.cursor, filters: binding.filters },
      this.ctx.cursors,
      (latest ? this.ctx.primary : undefined) ?? (parsed.type ? this.ctx.scan : this.ctx.read),
    );
    const data = page.data.map((row) => this.toChange(row));
    const here = state?.travel === 'next' && !state.inclusive ? parsed.cursor : undefined;
    const next = page.next_cursor ?? data.at(-1)?.id ?? here ?? this.cursorAt(startPosition(database));
    return { data, next_cursor: next, prev_cursor: page.prev_cursor, has_more: page.has_more };
  }

  /**
   * Every change after `cursor`, then each new one as it is committed by any process on the
   * database, until `signal` aborts or the loop breaks.
   * @example for await (const change of catalog.changes.watch({ cursor: saved, signal })) index(change);
   * @throws {InvalidCursorError|CursorExpiredError} as list.
   */
  async *watch(options: WatchOptions = {}): AsyncGenerator<Change, void, undefined> {
    const { signal, type } = options;
    const recheck = this.ctx.config.database.kind === 'postgresql' ? POSTGRES_RECHECK_MS : Infinity;
    let cursor = options.cursor ?? undefined;
    while (!signal?.aborted) {
      const mark = await this.wake.mark();
      // A wake-up is the primary's NOTIFY at a commit that a replica has probably not replayed
      // yet: a watcher reads on the primary, or it would see the change only at the next recheck.
      const query = { limit: WATCH_PAGE, ...(cursor ? { cursor } : {}), ...(type ? { type } : {}) };
      const page = await this.page(query, true);
      for (const change of page.data) {
        if (signal?.aborted) return;
        yield change;
      }
      cursor = page.next_cursor;
      if (!page.has_more) await this.wake.wait(mark, signal, recheck);
    }
  }

  /**
   * Deletes changes older than `before` (default: the configured retention), in short batches.
   * A catalog also does this by itself in the background.
   * @returns the number of changes deleted.
   */
  prune(before?: Date): Promise<number> {
    const days = this.ctx.config.changesRetentionDays;
    return pruneChanges(this.ctx, before ?? new Date(Date.now() - days * 24 * 3600 * 1000));
  }

  /** Positions do not depend on the type filter, so one cursor serves every filter. */
  private binding(): CursorBinding {
    return { sort: changeSort(this.ctx.config.database.kind), filters: 'changes' };
  }

  /** The position after the last change a reader may take now (the start of an empty feed). */
  private async endCursor(): Promise<string> {
    const database = this.ctx.config.database.kind;
    const keys = changeSort(database).map((key) => key.field);
    const settled = settledChanges(database).map((condition) => condition.sql);
    const where = settled.length ? `where ${settled.join(' and ')}` : '';
    const order = keys.map((key) => `${key} desc`).join(', ');
    const [last] = await this.ctx.read<{ txid?: unknown; seq: unknown }>(
      `select ${keys.join(', ')} from changes ${where} order by ${order} limit 1`,
    );
    return this.cursorAt(last ? positionOf({ txid: last.txid, seq: last.seq }, database) : startPosition(database));
  }

  private cursorAt(values: (string | number | null)[]): string {
    return this.ctx.cursors.encode({ travel: 'next', values, inclusive: false }, this.binding());
  }

  private async refuseExpired(values: readonly (string | number | null)[]): Promise<void> {
    const [pruned] = await this.ctx.read<{ txid: unknown; seq: unknown }>(
      'select txid, seq from changes_pruned where id = 1',
    );
    if (pruned && isBefore(values, positionOf(pruned, this.ctx.config.database.kind))) {
      throw CursorExpiredError.pruned(this.ctx.config.changesRetentionDays);
    }
  }

  private toChange(row: ChangeDbRow): Change {
    const product = typeof row.product === 'string' ? (JSON.parse(row.product) as Product) : row.product;
    return {
      id: this.cursorAt(positionOf(row, this.ctx.config.database.kind)),
      type: row.type,
      product_id: String(row.product_id),
      product,
      actor_id: row.actor_id === null ? null : String(row.actor_id),
      at: toIso(row.at),
    };
  }
}
