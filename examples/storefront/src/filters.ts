import type { DashboardSummary, ProductListQuery, ProductSortBy, SortOrder } from '@catalog/client';
import { byId, el } from './dom.js';

const SORT_KEYS: readonly ProductSortBy[] = ['created_at', 'price', 'rating', 'name'];

type FilterControl = HTMLInputElement | HTMLSelectElement;

function form(): HTMLFormElement {
  return byId('filters', HTMLFormElement);
}

/** The form's inputs and selects by name (the button is left out). */
function controls(): FilterControl[] {
  return [...form().elements].filter(
    (c): c is FilterControl => (c instanceof HTMLInputElement || c instanceof HTMLSelectElement) && c.name !== '',
  );
}

function field(name: string): string {
  const control = form().elements.namedItem(name);
  return control instanceof HTMLInputElement || control instanceof HTMLSelectElement ? control.value.trim() : '';
}

/** What `control` shows when the form is reset: the page's defaults. */
function defaultValue(control: FilterControl): string {
  if (control instanceof HTMLInputElement) return control.defaultValue;
  const option = [...control.options].find((o) => o.defaultSelected) ?? control.options[0];
  return option?.value ?? '';
}

/** Chooses `value` in the category select, adding it when the dashboard has not listed it (yet). */
function chooseCategory(select: HTMLSelectElement, value: string): void {
  if (value && ![...select.options].some((o) => o.value === value)) select.append(el('option', value, { value }));
  select.value = value;
}

/**
 * The listing query the filter form describes. Numbers are passed on as typed so the server,
 * not the page, decides what is valid (its 422 is shown next to the form).
 */
export function readFilters(): ProductListQuery {
  const query: ProductListQuery = {};
  const search = field('search');
  if (search) query.search = search;
  const category = field('category');
  if (category) query.category = category;
  const min = field('min_price');
  if (min) query.min_price = Number(min);
  const max = field('max_price');
  if (max) query.max_price = Number(max);
  const sortBy = field('sort_by') as ProductSortBy;
  if (SORT_KEYS.includes(sortBy)) query.sort_by = sortBy;
  const order = field('sort_order') as SortOrder;
  if (order === 'asc' || order === 'desc') query.sort_order = order;
  query.limit = Number(field('limit')) || 10;
  return query;
}

/** The filters that differ from the form's defaults, by field name: what a link to this listing needs. */
export function changedFilters(): [string, string][] {
  return controls()
    .filter((control) => control.value.trim() !== defaultValue(control))
    .map((control) => [control.name, control.value.trim()]);
}

/**
 * Sets the form to `params` (fields absent from it get their defaults). Values a field cannot
 * hold, such as an unknown sort or letters in a price, leave that field at its default; the
 * result says whether every field took its value. Names that are not fields are ignored.
 */
export function writeFilters(params: URLSearchParams): boolean {
  let held = true;
  for (const control of controls()) {
    const value = (params.get(control.name) ?? defaultValue(control)).trim();
    if (control instanceof HTMLSelectElement && control.name === 'category') chooseCategory(control, value);
    else control.value = value;
    if (control instanceof HTMLSelectElement && control.selectedIndex === -1) control.value = defaultValue(control);
    held &&= control.value.trim() === value;
  }
  return held;
}

/** Fills the category select from the dashboard, keeping the current choice. */
export function fillCategories(summary: DashboardSummary): void {
  const select = form().elements.namedItem('category');
  if (!(select instanceof HTMLSelectElement)) return;
  const chosen = select.value;
  select.replaceChildren(el('option', 'All', { value: '' }));
  for (const { category, count } of summary.categories) {
    select.append(el('option', `${category} (${count})`, { value: category }));
  }
  chooseCategory(select, chosen);
}
