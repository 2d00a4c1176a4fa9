import type { Catalog } from '@catalog/core';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../state.js';

/** The response header carrying the primary's log position after a write. */
export const POSITION_HEADER = 'Catalog-LSN';
/** The request header by which a client asks to read at least that position. */
export const MIN_POSITION_HEADER = 'Catalog-Min-LSN';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Read-your-writes across read replicas (docs/scaling.md). A successful write is answered with
 * `Catalog-LSN`, the primary's WAL position once it committed; a request carrying
 * `Catalog-Min-LSN` reads only from replicas that have replayed that position, else from the
 * primary. Without replicas this is not installed: no header, no extra statement.
 *
 * A position the primary cannot give after the write (it just went away) leaves the header out
 * rather than failing a committed write; the client keeps the position it had.
 */
export function readYourWrites(catalog: Pick<Catalog, 'replication'>, logger: Logger): Middleware<AppState> {
  const replication = catalog.replication;
  if (!replication) return (_ctx, next) => next();
  return async (ctx, next) => {
    const minimum = ctx.get(MIN_POSITION_HEADER);
    await (minimum ? replication.readingAfter(minimum, next) : next());
    if (SAFE_METHODS.has(ctx.method) || ctx.status >= 400) return;
    try {
      ctx.set(POSITION_HEADER, await replication.primaryPosition());
    } catch (error) {
      logger.warn({ err: error }, 'no WAL position for Catalog-LSN after a write');
    }
  };
}
