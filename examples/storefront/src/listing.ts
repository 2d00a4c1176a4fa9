import { CatalogApiError, type CatalogClient, type ProductListQuery } from '@catalog/client';
import { showMessage } from './dom.js';
import { changedFilters, readFilters, writeFilters } from './filters.js';
import { describeError } from './format.js';
import { placeFromSearch, searchOfPlace, type ListingPlace } from './listing-url.js';
import { clearPage, renderPage, setResultsState } from './products-view.js';

export interface ListingOptions {
  client: CatalogClient;
  /** False while the visitor may not list products (signed out, no anonymous reads): no request is made then. */
  canBrowse: () => boolean;
  /** The API refused the session (401): the caller shows the sign-in form. */
  onSessionEnded: () => void;
  /** A page is being loaded (it will show the products as they are now). */
  onLoading?: () => void;
  /** A loaded page is on screen. */
  onShown?: () => void;
}

/** The product listing: the page on screen, its place in the address bar, and the moves between pages. */
export interface Listing {
  /** Shows the place the address bar names, with the form set to match: on start, after sign-in, on Back/Forward. */
  showAddressBarPlace(): Promise<void>;
  /** The first page of the form's filters, as a new history entry. */
  applyFilters(): Promise<void>;
  /** The first page of the applied filters, newest first (where new products are), as a new history entry. */
  showNewest(): Promise<void>;
  /** The filters of the listing on screen, as applied (edits to the form count once applied). */
  appliedFilters(): ProductListQuery;
  next(): Promise<void>;
  previous(): Promise<void>;
  /** Empties the listing and asks the visitor to sign in with `status`. */
  showSignedOut(status: string): void;
}

const SIGN_IN_PROMPT = 'Sign in to browse the catalog.';

export function createListing({ client, canBrowse, onSessionEnded, onLoading, onShown }: ListingOptions): Listing {
  let place: ListingPlace = placeFromSearch(location.search);
  /** The filters of the listing on screen, as applied: edits to the form count only once applied. */
  let filters: ProductListQuery = readFilters();
  /** The cursors of the page on screen, for the Previous and Next buttons. */
  let cursors: { next: string | null; prev: string | null } = { next: null, prev: null };
  let inFlight: AbortController | null = null;

  function showSignedOut(status: string): void {
    inFlight?.abort();
    cursors = { next: null, prev: null };
    clearPage();
    setResultsState('signed-out', status);
  }

  /** Loads the page at `place`; a newer load cancels an older one so a slow answer never overwrites a newer page. */
  async function load(): Promise<void> {
    if (!canBrowse()) {
      showSignedOut(SIGN_IN_PROMPT);
      return;
    }
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    setResultsState('loading', 'Loading products…');
    onLoading?.();
    const query: ProductListQuery = place.cursor === null ? filters : { ...filters, cursor: place.cursor };
    try {
      const page = await client.products.list(query, { signal: controller.signal });
      cursors = { next: page.next_cursor, prev: page.prev_cursor };
      showMessage(null);
      renderPage(page, place.page);
      onShown?.();
    } catch (error) {
      if (error instanceof CatalogApiError && error.code === 'aborted') return;
      cursors = { next: null, prev: null };
      clearPage();
      if (error instanceof CatalogApiError && error.status === 401) {
        onSessionEnded();
        setResultsState('signed-out', SIGN_IN_PROMPT);
        return;
      }
      setResultsState('error', 'The products could not be loaded.');
      showMessage(describeError(error));
    } finally {
      if (inFlight === controller) inFlight = null;
    }
  }

  /** Moves to `next`: a new history entry unless the address would not change, then loads it. */
  function go(next: ListingPlace, entry: 'push' | 'replace'): Promise<void> {
    const url = `${location.pathname}${searchOfPlace(next)}`;
    if (entry === 'push' && url !== `${location.pathname}${location.search}`) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
    place = next;
    return load();
  }

  return {
    showAddressBarPlace() {
      const named = placeFromSearch(location.search);
      const held = writeFilters(new URLSearchParams(named.filters));
      filters = readFilters();
      // A cursor belongs to the exact query it came from: it only survives when the form took
      // every filter of the address (it drops an unknown sort or letters in a price).
      const shown = changedFilters();
      return go(held ? { ...named, filters: shown } : { filters: shown, cursor: null, page: 1 }, 'replace');
    },
    applyFilters() {
      filters = readFilters();
      return go({ filters: changedFilters(), cursor: null, page: 1 }, 'push');
    },
    showNewest() {
      const newest = new URLSearchParams(place.filters);
      newest.set('sort_by', 'created_at');
      newest.set('sort_order', 'desc');
      writeFilters(newest);
      filters = readFilters();
      return go({ filters: changedFilters(), cursor: null, page: 1 }, 'push');
    },
    appliedFilters: () => filters,
    async next() {
      if (cursors.next) await go({ ...place, cursor: cursors.next, page: place.page + 1 }, 'push');
    },
    async previous() {
      if (cursors.prev) await go({ ...place, cursor: cursors.prev, page: Math.max(1, place.page - 1) }, 'push');
    },
    showSignedOut,
  };
}
