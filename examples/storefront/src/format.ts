import { CatalogApiError } from '@catalog/client';

// The store's one price format; the catalog keeps amounts without a currency, so the store names it.
const PRICE = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** `1234.5` → `$1,234.50`. */
export function formatPrice(price: number): string {
  return PRICE.format(price);
}

/** A rating, or an em dash when the product is not rated. */
export function formatRating(rating: number | null): string {
  return rating === null ? '—' : rating.toFixed(1);
}

/** The calendar date of an ISO timestamp. */
export function formatDate(iso: string): string {
  return iso.slice(0, 10);
}

/** One sentence a shopper can act on, for any failure of an API call. */
export function describeError(error: unknown): string {
  if (!(error instanceof CatalogApiError)) return `Something went wrong: ${String(error)}`;
  const ref = error.requestId ? ` (request ${error.requestId})` : '';
  switch (error.code) {
    case 'network_error':
      return 'Cannot reach the catalog server. Check your connection and try again.';
    case 'timeout':
      return 'The catalog server took too long to answer. Try again.';
    case 'validation_failed':
      return `Please check the filters: ${error.errors.map((e) => `${e.path.replace('_', ' ')} ${e.message}`).join('; ') || error.detail}`;
    case 'unauthorized':
      return 'Your session has ended. Please sign in again.';
    case 'rate_limited':
      return `Too many attempts. Try again in ${error.retryAfter ?? 60} seconds.`;
    default:
      return `${error.detail}${ref}`;
  }
}
