import type { Page, Product } from '@catalog/client';
import { byId, el } from './dom.js';
import { formatDate, formatPrice, formatRating } from './format.js';

export type ResultsState = 'idle' | 'loading' | 'ready' | 'empty' | 'error' | 'signed-out';

/**
 * Marks the results area (for styles and tests) and writes its status line. `data-renders`
 * counts settled loads so a test can wait for the answer to the click it just made.
 */
export function setResultsState(state: ResultsState, status: string): void {
  const results = byId('results', HTMLElement);
  results.dataset.state = state;
  results.setAttribute('aria-busy', String(state === 'loading'));
  byId('status', HTMLParagraphElement).textContent = status;
  if (state !== 'loading') {
    byId('products', HTMLTableElement).hidden = state !== 'ready';
    results.dataset.renders = String(Number(results.dataset.renders ?? '0') + 1);
  }
}

function row(product: Product): HTMLTableRowElement {
  const tr = el('tr', '', {
    'data-id': product.id,
    'data-version': String(product.version),
    'data-testid': 'product-row',
  });
  // `data-label` names a cell where narrow screens stack the row and hide the column headings.
  tr.append(
    nameCell(product),
    el('td', product.category, { class: 'category', 'data-testid': 'product-category' }),
    el('td', formatPrice(product.price), { class: 'num price', 'data-testid': 'product-price' }),
    el('td', formatRating(product.rating), {
      class: 'num rating',
      'data-label': 'Rating',
      'data-testid': 'product-rating',
    }),
    el('td', formatDate(product.created_at), { class: 'added', 'data-label': 'Added' }),
  );
  if (isDeleted(product)) tr.dataset.gone = 'true';
  return tr;
}

/** Readers other than admins get no `deleted_at` at all; the change feed gives it, null or not. */
function isDeleted(product: Product): boolean {
  return product.deleted_at !== null && product.deleted_at !== undefined;
}

/** The name, and for a product deleted while on screen a "No longer available" mark. */
function nameCell(product: Product): HTMLTableCellElement {
  const td = el('td', product.name, { class: 'name', 'data-testid': 'product-name' });
  if (isDeleted(product)) td.append(' ', el('span', 'No longer available', { class: 'gone-mark' }));
  return td;
}

/** The row of `id` on screen, if any. */
function shownRow(id: string): HTMLTableRowElement | null {
  return byId('products', HTMLTableElement).querySelector(`tr[data-id="${CSS.escape(id)}"]`);
}

/** Whether the product `id` has a row on screen. */
export function isShown(id: string): boolean {
  return shownRow(id) !== null;
}

/**
 * Redraws the row of `product` in place, if it is on screen and `product` is newer than what the
 * row shows (a listing loaded meanwhile may already show a later version). A deleted product
 * stays, greyed and marked, so the rows do not move under the shopper's pointer.
 * @returns whether the row changed.
 */
export function refreshRow(product: Product): boolean {
  const current = shownRow(product.id);
  if (!current || Number(current.dataset.version) >= product.version) return false;
  const next = row(product);
  next.classList.add('changed');
  current.replaceWith(next);
  return true;
}

/** Shows one page of products and enables Previous/Next from its cursors. */
export function renderPage(page: Page<Product>, pageNumber: number): void {
  const tbody = byId('products', HTMLTableElement).tBodies[0];
  tbody?.replaceChildren(...page.data.map(row));
  byId('prev', HTMLButtonElement).disabled = page.prev_cursor === null;
  byId('next', HTMLButtonElement).disabled = page.next_cursor === null;
  byId('page', HTMLSpanElement).textContent = page.data.length > 0 ? `Page ${pageNumber}` : '';
  if (page.data.length === 0) setResultsState('empty', 'No products match these filters. Try a broader search.');
  else
    setResultsState(
      'ready',
      `Showing ${page.data.length} product${page.data.length === 1 ? '' : 's'}${page.has_more ? ', more on the next page' : ''}.`,
    );
}

/** Empties the table and disables paging (signed out, or the listing failed). */
export function clearPage(): void {
  byId('products', HTMLTableElement).tBodies[0]?.replaceChildren();
  byId('prev', HTMLButtonElement).disabled = true;
  byId('next', HTMLButtonElement).disabled = true;
  byId('page', HTMLSpanElement).textContent = '';
}
