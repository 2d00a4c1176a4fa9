import { CatalogApiError, createClient, localStorageTokenStore } from '@catalog/client';
import { anonymousReadsAllowed } from './anonymous-reads.js';
import { renderDashboard } from './dashboard-view.js';
import { byId, showMessage } from './dom.js';
import { fillCategories } from './filters.js';
import { describeError } from './format.js';
import { createListing } from './listing.js';
import { createLiveUpdates } from './live-updates.js';
import { createNewProducts } from './new-products.js';
import { renderSession } from './session-view.js';

// Same origin as the page: the dev server serves both the page and the API.
const BASE_URL = '';
const client = createClient({
  baseUrl: BASE_URL,
  tokenStore: localStorageTokenStore('catalog-storefront.tokens'),
  onTokenChange: (tokens) => {
    if (tokens !== null) return;
    // The session ended (signed out, or a refresh was refused): no more changes for this page.
    live.stop();
    renderSession(null);
  },
});

const signedIn = () => client.tokenStore.get() !== null;
/** Whether the server lets signed-out visitors list products; asked whenever the visitor is signed out. */
let anonymousReads = false;

const listing = createListing({
  client,
  canBrowse: () => signedIn() || anonymousReads,
  onSessionEnded: () => renderSession(null),
  onLoading: () => newProducts.reset(),
  onShown: () => newProducts.recount(),
});
const newProducts = createNewProducts({ client, filters: () => listing.appliedFilters() });
// The change feed needs a sign-in (anonymous reads cover the listing only): signed-in shoppers see it live.
const live = createLiveUpdates({ client, onCreated: (id) => newProducts.add(id) });

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

/**
 * Signed out, only what a visitor may see is asked for, so the console shows no refused request:
 * the listing when the server has anonymous reads on, else the sign-in prompt (`status`).
 */
async function enterSignedOut(status: string): Promise<void> {
  live.stop();
  renderSession(null);
  renderDashboard(null);
  anonymousReads = await anonymousReadsAllowed(BASE_URL);
  if (anonymousReads) await listing.showAddressBarPlace();
  else listing.showSignedOut(status);
}

/** On start and after sign-in: who is this, then the numbers and the page the address bar names. */
async function enter(): Promise<void> {
  if (!signedIn()) return enterSignedOut('Sign in to browse the catalog.');
  try {
    renderSession(await client.auth.me());
  } catch (error) {
    renderSession(null);
    if (!(error instanceof CatalogApiError && error.status === 401)) showMessage(describeError(error));
  }
  // The feed's end is taken before the listing is read, so no change falls between the two.
  await Promise.all([loadDashboard(), live.start().then(() => listing.showAddressBarPlace())]);
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
    .then(() => enterSignedOut('Signed out. Sign in to browse the catalog.'));
});

byId('filters', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  void listing.applyFilters();
});
byId('new-products', HTMLButtonElement).addEventListener('click', () => void listing.showNewest());
byId('next', HTMLButtonElement).addEventListener('click', () => void listing.next());
byId('prev', HTMLButtonElement).addEventListener('click', () => void listing.previous());
// Back and Forward between the listing's own history entries.
window.addEventListener('popstate', () => void listing.showAddressBarPlace());

void enter();
