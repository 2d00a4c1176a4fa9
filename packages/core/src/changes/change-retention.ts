import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ServiceContext } from '../context.js';
import { withBusyRetry } from '../db/retry.js';
import { transactionSql } from '../db/transaction-sql.js';
import { toIso } from '../db/product-table.js';
import { changeSort, positionOf, settledChanges } from './change-position.js';

/** Changes deleted per transaction: a writer waits at most for one such short delete. */
export const PRUNE_BATCH = 1000;

/** How often a catalog prunes in the background, and how long after opening it first does. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const FIRST_PRUNE_MS = 60 * 1000;

/**
 * Deletes the changes written before `before`, oldest first, PRUNE_BATCH at a time, each batch in
 * a transaction of its own; records the position of the last change deleted (changes_pruned), so
 * that a cursor before it is refused (cursor_expired) instead of silently skipping changes.
 * @returns the number of changes deleted.
 */
export async function pruneChanges(ctx: ServiceContext, before: Date): Promise<number> {
  const database = ctx.config.database.kind;
  const order = changeSort(database)
    .map((key) => key.field)
    .join(', ');
  const settled = settledChanges(database).map((condition) => ` and ${condition.sql}`);
  const cutoff = database === 'sqlite' ? before.getTime() : before;
  let total = 0;
  for (;;) {
    const deleted = await withBusyRetry(() =>
      ctx.orm.em.fork().transactional(async (em) => {
        const sql = transactionSql(em);
        const rows = await sql<{ seq: unknown; txid: unknown; at: unknown }>(
          `select seq, txid, at from changes where 1 = 1${settled.join('')} order by ${order} limit ${PRUNE_BATCH}`,
        );
        // Oldest first: stop at the first change inside the retention.
        const old = rows.slice(0, firstKept(rows, cutoff));
        const last = old.at(-1);
        if (!last) return 0;
        await sql(
          `delete from changes where seq in (${old.map(() => '?').join(', ')})`,
          old.map((row) => row.seq),
        );
        const [txid, seq] = database === 'postgresql' ? positionOf(last, database) : [0, Number(last.seq)];
        await sql('update changes_pruned set txid = ?, seq = ? where id = 1', [txid, seq]);
        return old.length;
      }),
    );
    total += deleted;
    if (deleted < PRUNE_BATCH) return total;
    await yieldToEventLoop();
  }
}

function firstKept(rows: readonly { at: unknown }[], cutoff: Date | number): number {
  const limit = cutoff instanceof Date ? cutoff.getTime() : cutoff;
  // SQLite gives epoch ms; PostgreSQL a Date or, through MikroORM's type parsers, its text.
  const index = rows.findIndex((row) => new Date(toIso(row.at as Date | number | string)).getTime() >= limit);
  return index === -1 ? rows.length : index;
}

/**
 * Prunes in the background while the catalog is open: once shortly after it opens, then hourly.
 * The timers never keep a process alive; `stop` waits for a prune under way.
 */
export function schedulePruning(ctx: ServiceContext): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    const before = new Date(Date.now() - ctx.config.changesRetentionDays * 24 * 3600 * 1000);
    running = pruneChanges(ctx, before).catch(() => undefined);
  };
  const first = setTimeout(run, FIRST_PRUNE_MS).unref();
  const every = setInterval(run, PRUNE_EVERY_MS).unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
