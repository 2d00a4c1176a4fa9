import { CatalogApiError, type CatalogClient, type Change } from '@catalog/client';
import { byId, showMessage } from './dom.js';
import { feedEnd } from './feed-end.js';
import { describeError } from './format.js';
import { isShown, refreshRow } from './products-view.js';

export interface LiveUpdatesOptions {
  client: CatalogClient;
  /** A product was created that the listing does not show (it may belong on it: the notice decides). */
  onCreated: (id: string) => void;
}

/** The listing kept current by the change feed while a signed-in shopper looks at it. */
export interface LiveUpdates {
  /**
   * Takes the current end of the feed, then follows it in the background. Resolves once the end
   * is taken: a listing loaded after that misses no change.
   */
  start(): Promise<void>;
  /** Stops following (sign-out); the open stream is closed. */
  stop(): void;
}

type LiveState = 'off' | 'on' | 'stopped';

/** `data-live` on the results: `on` while following, `stopped` after a failure, else `off`. */
function setLiveState(state: LiveState): void {
  byId('results', HTMLElement).dataset.live = state;
}

/**
 * Follows the change feed with the SDK's `changes.watch` (which reconnects by itself after a
 * dropped connection, from the last change received) and applies each change to the rows on
 * screen. Leaving the page closes the stream; coming back to it from the back/forward cache
 * resumes after the last change applied, so nothing is missed.
 */
export function createLiveUpdates({ client, onCreated }: LiveUpdatesOptions): LiveUpdates {
  let controller: AbortController | null = null;
  /** Where the feed was left: the last change applied, or the end taken at start. */
  let cursor: string | null = null;
  let resumeOnShow = false;

  function apply(change: Change): void {
    if (change.type === 'product.created' && !isShown(change.product_id)) onCreated(change.product_id);
    else refreshRow(change.product);
  }

  async function follow(signal: AbortSignal): Promise<void> {
    setLiveState('on');
    try {
      for await (const change of client.changes.watch({ cursor, signal })) {
        cursor = change.id;
        apply(change);
      }
    } catch (error) {
      if (signal.aborted) return;
      // Changes older than the server keeps were pruned while the page was away: start again from now.
      if (error instanceof CatalogApiError && error.code === 'cursor_expired') return void start();
      setLiveState('stopped');
      if (!(error instanceof CatalogApiError && error.status === 401))
        showMessage(`Live updates stopped: ${describeError(error)}`, 'info');
    }
  }

  function begin(): AbortSignal {
    controller?.abort();
    controller = new AbortController();
    return controller.signal;
  }

  async function start(): Promise<void> {
    const signal = begin();
    try {
      cursor = await feedEnd(client, signal);
    } catch {
      // Not signed in any more, or the server is unreachable: the listing's own load reports it.
      if (!signal.aborted) setLiveState('stopped');
      return;
    }
    if (!signal.aborted) void follow(signal);
  }

  function stop(): void {
    controller?.abort();
    controller = null;
    setLiveState('off');
  }

  // No stream outlives the page; a page restored from the back/forward cache picks up where it was.
  window.addEventListener('pagehide', () => {
    resumeOnShow = controller !== null && cursor !== null;
    stop();
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && resumeOnShow) void follow(begin());
  });

  return { start, stop };
}
