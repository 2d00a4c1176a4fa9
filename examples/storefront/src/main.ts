import { CatalogApiError, createClient, localStorageTokenStore, type ProductListQuery } from '@catalog/client';
import { renderDashboard } from './dashboard-view.js';
import { byId, showMessage } from './dom.js';
import { fillCategories, readFilters } from './filters.js';
import { describeError } from './format.js';
import { clearPage, renderPage, setResultsState } from './products-view.js';
import { renderSession } from './session-view.js';

// Same origin as the page: the dev server serves both the page and the API.
const client = createClient({
  baseUrl: '',
  tokenStore: localStorageTokenStore('catalog-storefront.tokens'),
  onTokenChange: (tokens) => {
    if (tokens === null) renderSession(null);
  },
});

let filters: ProductListQuery = readFilters();
let pageNumber = 1;
let inFlight: AbortController | null = null;
/** The cursors of the page on screen, for the Previous and Next buttons. */
let cursors: { next: string | null; prev: string | null } = { next: null, prev: null };

/** Loads one page; a newer load cancels an older one so a slow answer never overwrites a newer page. */
async function loadPage(cursor: string | undefined, nextPageNumber: number): Promise<void> {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  setResultsState('loading', 'Loading products…');
  try {
    const page = await client.products.list(cursor ? { ...filters, cursor } : filters, { signal: controller.signal });
    pageNumber = nextPageNumber;
    cursors = { next: page.next_cursor, prev: page.prev_cursor };
    showMessage(null);
    renderPage(page, pageNumber);
  } catch (error) {
    if (error instanceof CatalogApiError && error.code === 'aborted') return;
    cursors = { next: null, prev: null };
    clearPage();
    if (error instanceof CatalogApiError && error.status === 401) {
      renderSession(null);
      setResultsState('signed-out', 'Sign in to browse the catalog.');
      return;
    }
    setResultsState('error', 'The products could not be loaded.');
    showMessage(describeError(error));
  } finally {
    if (inFlight === controller) inFlight = null;
  }
}

async function loadDashboard(): Promise<void> {
  try {
    const summary = await client.dashboard.summary();
    renderDashboard(summary);
    fillCategories(summary);
  } catch (error) {
    renderDashboard(null);
    if (!(error instanceof CatalogApiError && error.status === 401)) showMessage(describeError(error));
  }
}

/** After sign-in or on start with a stored session: who is this, then the numbers and the first page. */
async function enter(): Promise<void> {
  try {
    renderSession(await client.auth.me());
  } catch (error) {
    renderSession(null);
    if (!(error instanceof CatalogApiError && error.status === 401)) showMessage(describeError(error));
  }
  await Promise.all([loadDashboard(), loadPage(undefined, 1)]);
}

byId('login', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  const submit = form.querySelector('button');
  if (submit) submit.disabled = true;
  client.auth
    .login({ email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') })
    .then(() => {
      form.reset();
      showMessage(null);
      return enter();
    })
    .catch((error: unknown) => {
      showMessage(
        error instanceof CatalogApiError && error.status === 401 ? 'Wrong email or password.' : describeError(error),
      );
    })
    .finally(() => {
      if (submit) submit.disabled = false;
    });
});

byId('logout', HTMLButtonElement).addEventListener('click', () => {
  void client.auth
    .logout()
    .catch(() => undefined)
    .then(() => {
      renderSession(null);
      renderDashboard(null);
      clearPage();
      setResultsState('signed-out', 'Signed out. Sign in to browse the catalog.');
    });
});

byId('filters', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  filters = readFilters();
  void loadPage(undefined, 1);
});

byId('next', HTMLButtonElement).addEventListener('click', () => {
  if (cursors.next) void loadPage(cursors.next, pageNumber + 1);
});
byId('prev', HTMLButtonElement).addEventListener('click', () => {
  if (cursors.prev) void loadPage(cursors.prev, pageNumber - 1);
});

void enter();
