import type { DashboardSummary, ProductListQuery, ProductSortBy, SortOrder } from '@catalog/client';
import { byId, el } from './dom.js';

const SORT_KEYS: readonly ProductSortBy[] = ['created_at', 'price', 'rating', 'name'];

function field(form: HTMLFormElement, name: string): string {
  const control = form.elements.namedItem(name);
  return control instanceof HTMLInputElement || control instanceof HTMLSelectElement ? control.value.trim() : '';
}

/**
 * The listing query the filter form describes. Numbers are passed on as typed so the server,
 * not the page, decides what is valid (its 422 is shown next to the form).
 */
export function readFilters(): ProductListQuery {
  const form = byId('filters', HTMLFormElement);
  const query: ProductListQuery = {};
  const search = field(form, 'search');
  if (search) query.search = search;
  const category = field(form, 'category');
  if (category) query.category = category;
  const min = field(form, 'min_price');
  if (min) query.min_price = Number(min);
  const max = field(form, 'max_price');
  if (max) query.max_price = Number(max);
  const sortBy = field(form, 'sort_by') as ProductSortBy;
  if (SORT_KEYS.includes(sortBy)) query.sort_by = sortBy;
  const order = field(form, 'sort_order') as SortOrder;
  if (order === 'asc' || order === 'desc') query.sort_order = order;
  query.limit = Number(field(form, 'limit')) || 10;
  return query;
}

/** Fills the category select from the dashboard, keeping the current choice. */
export function fillCategories(summary: DashboardSummary): void {
  const select = byId('filters', HTMLFormElement).elements.namedItem('category');
  if (!(select instanceof HTMLSelectElement)) return;
  const chosen = select.value;
  select.replaceChildren(el('option', 'All', { value: '' }));
  for (const { category, count } of summary.categories) {
    select.append(el('option', `${category} (${count})`, { value: category }));
  }
  select.value = summary.categories.some((c) => c.category === chosen) ? chosen : '';
}
