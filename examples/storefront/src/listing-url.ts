/**
 * Where the shopper is in the listing, as the address bar keeps it: the filter fields that differ
 * from the form's defaults, under their API names, then the page's cursor and number, e.g.
 * `?category=tea&sort_by=price&sort_order=asc&cursor=…&page=3`. A reload or a shared link shows
 * that page again; each step is a history entry, so Back and Forward walk through them.
 */
export interface ListingPlace {
  /** Filter field name → value, as `changedFilters()` gives them and `writeFilters()` takes them. */
  filters: [string, string][];
  /** The API cursor of the page; null for the first page. */
  cursor: string | null;
  /** The page number shown beside the pager (1 on the first page). */
  page: number;
}

const PLACE_KEYS = new Set(['cursor', 'page']);

/** Reads a place from a query string such as `location.search`. */
export function placeFromSearch(search: string): ListingPlace {
  const params = new URLSearchParams(search);
  const cursor = params.get('cursor') || null;
  const page = Number(params.get('page'));
  return {
    filters: [...params].filter(([name]) => !PLACE_KEYS.has(name)),
    cursor,
    page: cursor !== null && Number.isInteger(page) && page > 0 ? page : 1,
  };
}

/** The query string of a place: `''` for the first page with default filters, else `?…`. */
export function searchOfPlace(place: ListingPlace): string {
  const params = new URLSearchParams(place.filters);
  if (place.cursor !== null) {
    params.set('cursor', place.cursor);
    params.set('page', String(place.page));
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}
