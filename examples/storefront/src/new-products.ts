import { CatalogApiError, type CatalogClient, type ProductListQuery } from '@catalog/client';
import { byId } from './dom.js';
import { isShown } from './products-view.js';

/** The most products one count asks about (the API's largest page); more show as "100+". */
const MAX_COUNTED = 100;
/** Creations usually come in bursts (a bulk create, an import): one count per burst. */
const SETTLE_MS = 150;

export interface NewProductsOptions {
  client: CatalogClient;
  /** The filters of the listing on screen, as applied (no cursor). */
  filters: () => ProductListQuery;
}

/** The "N new products" notice above the listing. */
export interface NewProducts {
  /** A product was created after the listing was loaded (it came through the change feed). */
  add(id: string): void;
  /** A new listing is being loaded: it will show the current products, so nothing is new any more. */
  reset(): void;
  /** The listing is on screen: products it shows are not new. */
  recount(): void;
}

/**
 * Counts the products created since the listing was loaded that belong in it, and shows the count
 * as a button instead of inserting rows under the shopper's pointer. Whether a product belongs is
 * the server's rule (search, category, prices…), so the page does not restate it: it asks for the
 * listing's newest products, as many as were created, and counts those it was told about.
 */
export function createNewProducts({ client, filters }: NewProductsOptions): NewProducts {
  const notice = byId('new-products', HTMLButtonElement);
  const created = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | null = null;

  function show(count: number, more: boolean): void {
    notice.hidden = count === 0;
    notice.dataset.count = String(count);
    notice.textContent = `${count}${more ? '+' : ''} new product${count === 1 ? '' : 's'} · Show`;
  }

  async function count(): Promise<void> {
    for (const id of created) if (isShown(id)) created.delete(id);
    inFlight?.abort();
    if (created.size === 0) return show(0, false);
    const controller = new AbortController();
    inFlight = controller;
    try {
      const newest = await client.products.list(
        { ...filters(), sort_by: 'created_at', sort_order: 'desc', limit: Math.min(MAX_COUNTED, created.size) },
        { signal: controller.signal },
      );
      const belong = newest.data.filter((product) => created.has(product.id) && !isShown(product.id)).length;
      show(belong, created.size > MAX_COUNTED && belong === MAX_COUNTED);
    } catch (error) {
      // Counting is a nicety: a failed count leaves the notice as it was, the next creation retries.
      if (!(error instanceof CatalogApiError)) throw error;
    } finally {
      if (inFlight === controller) inFlight = null;
    }
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void count(), SETTLE_MS);
  }

  return {
    add(id) {
      created.add(id);
      schedule();
    },
    reset() {
      clearTimeout(timer);
      inFlight?.abort();
      created.clear();
      show(0, false);
    },
    recount() {
      if (created.size > 0) schedule();
    },
  };
}
