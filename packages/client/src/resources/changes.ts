import type { Change, ChangeListQuery, ChangePage, ChangeType } from '@catalog/contract';
import type { CatalogClient, QueryValue, RequestOptions } from '../client.js';
import { CatalogApiError } from '../errors.js';
import { readEventStream } from '../event-stream.js';

export interface WatchOptions {
  /**
   * Start after this change id or page cursor; `FEED_END` ('now') = only changes from now on;
   * none = from the oldest change the server keeps.
   */
  cursor?: string | null;
  /** Only changes of this type. */
  type?: ChangeType;
  /** Ends the iteration (it returns; nothing is thrown). */
  signal?: AbortSignal;
  /** Milliseconds to wait before reconnecting after the connection dropped or failed (default 1000). */
  retryMs?: number;
}

/**
 * The cursor that names the current end of the feed (`GET /changes?cursor=now`). The SDK imports
 * nothing at run time, so this is its own copy of the contract's FEED_END (a test holds them equal).
 */
export const FEED_END = 'now';

/** The change feed: `client.changes`. */
export class ChangesResource {
  readonly #client: CatalogClient;

  constructor(client: CatalogClient) {
    this.#client = client;
  }

  /**
   * One page of changes, oldest first (`GET /changes`). `next_cursor` is never null: keep it and
   * call again to get only what is new.
   * @example
   * const page = await client.changes.list({ cursor: saved, limit: 100 });
   * @throws {CatalogApiError} `cursor_expired` (410) when the cursor's changes were pruned,
   * `invalid_cursor` (400), `validation_failed` (422).
   */
  list(query: ChangeListQuery = {}, options: RequestOptions = {}): Promise<ChangePage> {
    return this.#client.send<ChangePage>({
      ...options,
      method: 'GET',
      path: '/changes',
      query: query as Record<string, QueryValue>,
    });
  }

  /**
   * Every change after `cursor`, then each new one as it is written, over `GET /changes/stream`.
   * When the connection drops or the server restarts it reconnects by itself after the last change
   * received, so nothing is lost or repeated. Runs until `signal` aborts or the loop breaks.
   * @example
   * for await (const change of client.changes.watch({ cursor: saved, signal })) index.apply(change);
   * @throws {CatalogApiError} when the server refuses the stream for good: `cursor_expired` (410),
   * `invalid_cursor` (400), `unauthorized` (401) once a refresh failed, `validation_failed` (422).
   */
  async *watch(options: WatchOptions = {}): AsyncGenerator<Change, void, undefined> {
    const { signal, type } = options;
    const retryMs = options.retryMs ?? 1000;
    let cursor = options.cursor ?? undefined;
    // Pinned to a position before the stream opens: a reconnect before the first change must
    // resume from here, not from a later "now".
    if (cursor === FEED_END) cursor = (await this.list({ cursor }, signal ? { signal } : {})).next_cursor;
    while (!signal?.aborted) {
      let response: Response;
      try {
        response = await this.#client.send<Response>({
          method: 'GET',
          path: '/changes/stream',
          query: { cursor, type },
          accept: 'text/event-stream',
          raw: true,
          timeoutMs: 0,
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) return;
        if (!isTransient(error)) throw error;
        await pause(retryMs, signal);
        continue;
      }
      try {
        for await (const event of readEventStream(response.body!, signal)) {
          if (event.id === undefined) continue;
          const change = JSON.parse(event.data) as Change;
          cursor = event.id;
          yield change;
        }
      } catch (error) {
        // A dropped connection: reconnect after the last change received.
        if (signal?.aborted) return;
        if (error instanceof SyntaxError) throw error;
      }
      await pause(retryMs, signal);
    }
  }
}

/** Failures worth retrying: the network, the server restarting or overloaded. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof CatalogApiError)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
