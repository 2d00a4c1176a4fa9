import test, { type ExecutionContext } from 'ava';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_ACTOR } from '@catalog/core';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import { createClient, type Page, type Product } from '@catalog/client';
import { chromium, type BrowserContext, type Page as BrowserPage } from 'playwright-core';
import { demoProducts } from '../server/demo-data.js';
import { startStorefront } from '../server/storefront-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const SHOPPER = { email: 'e2e-shopper@example.com', password: 'storefront e2e pass', name: 'E2E Shopper' };
const PRODUCT_COUNT = 150;

let context: BrowserContext;
let profile: string;

test.before(async () => {
  // A fresh profile per run: no cache, cookies or localStorage from an earlier run.
  profile = await mkdtemp(join(tmpdir(), 'storefront-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 1000 },
  });
});

test.after.always(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

const results = '[data-testid="results"]';

/** Runs `action` and waits until the product listing it caused has settled; returns the state. */
async function settle(page: BrowserPage, action: () => Promise<unknown>): Promise<string> {
  const before = await page.evaluate(
    (selector) => Number(document.querySelector(selector)?.getAttribute('data-renders') ?? '0'),
    results,
  );
  await action();
  await page.waitForFunction(
    ([selector, n]) =>
      Number(document.querySelector(selector as string)?.getAttribute('data-renders') ?? '0') > (n as number),
    [results, before] as const,
  );
  return (await page.getAttribute(results, 'data-state')) ?? '';
}

/** Asserts the table shows exactly `expected`'s rows, in order, with their names and prices. */
async function assertRows(
  t: ExecutionContext,
  page: BrowserPage,
  expected: Page<Product>,
  label: string,
): Promise<void> {
  const shown = await page.$$eval('[data-testid="product-row"]', (rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-id'),
      name: row.querySelector('[data-testid="product-name"]')?.textContent,
      price: row.querySelector('[data-testid="product-price"]')?.textContent,
    })),
  );
  t.deepEqual(
    shown,
    expected.data.map((p) => ({ id: p.id, name: p.name, price: p.price.toFixed(2) })),
    label,
  );
  t.is(
    await page.isDisabled('[data-testid="prev"]'),
    expected.prev_cursor === null,
    `${label}: Previous enabled iff prev_cursor`,
  );
  t.is(
    await page.isDisabled('[data-testid="next"]'),
    expected.next_cursor === null,
    `${label}: Next enabled iff next_cursor`,
  );
}

for (const db of testDatabases()) {
  test.serial(
    `a shopper signs in, filters, pages forward and back and sees what the API returns [${db.name}]`,
    async (t) => {
      const catalog = await createTestCatalog(db);
      t.teardown(() => catalog.destroy());
      await catalog.products.createMany(demoProducts(PRODUCT_COUNT), { actor: SYSTEM_ACTOR });
      await catalog.users.create(SHOPPER, { actor: SYSTEM_ACTOR });
      const storefront = await startStorefront({ catalog, server: { logger: false, env: {} } });
      t.teardown(() => storefront.close());

      // The same questions asked of the API directly, through the SDK, as the same user.
      const api = createClient({ baseUrl: storefront.url });
      await api.auth.login({ email: SHOPPER.email, password: SHOPPER.password });

      const page = await context.newPage();
      t.teardown(() => page.close());
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));

      // Signed out: the sign-in form and a prompt, no rows.
      t.is(await settle(page, () => page.goto(storefront.url)), 'signed-out');
      t.true(await page.isVisible('[data-testid="login-form"]'));
      t.is(await page.locator('[data-testid="product-row"]').count(), 0);

      // A wrong password is explained and keeps the form.
      await page.fill('[data-testid="login-email"]', SHOPPER.email);
      await page.fill('[data-testid="login-password"]', 'not the password');
      await page.click('[data-testid="login-submit"]');
      await page.waitForSelector('[data-testid="message"]:not([hidden])');
      t.regex((await page.textContent('[data-testid="message"]')) ?? '', /Wrong email or password/);

      // Sign in: who, the dashboard numbers and the first page (newest first), as the API has them.
      await page.fill('[data-testid="login-password"]', SHOPPER.password);
      t.is(await settle(page, () => page.click('[data-testid="login-submit"]')), 'ready');
      await page.waitForSelector('[data-testid="dashboard"]:not([hidden])');
      t.regex((await page.textContent('[data-testid="signed-in-as"]')) ?? '', /E2E Shopper/);
      t.false(await page.isVisible('[data-testid="login-form"]'), 'the sign-in form is gone once signed in');
      const summary = await api.dashboard.summary();
      t.is(await page.textContent('[data-testid="dash-total"]'), String(PRODUCT_COUNT));
      t.is(
        await page.textContent('[data-testid="dash-rating"]'),
        summary.average_rating === null ? '—' : summary.average_rating.toFixed(2),
      );
      t.is(await page.textContent('[data-testid="dash-categories"]'), String(summary.categories.length));
      await assertRows(t, page, await api.products.list({ limit: 10 }), 'first page');

      // Filter: coffee from 20.00, by price ascending, 10 a page.
      const query = { category: 'coffee', min_price: 20, sort_by: 'price', sort_order: 'asc', limit: 10 } as const;
      await page.selectOption('[data-testid="filter-category"]', 'coffee');
      await page.fill('[data-testid="filter-min-price"]', '20');
      await page.selectOption('[data-testid="filter-sort-by"]', 'price');
      await page.selectOption('[data-testid="filter-sort-order"]', 'asc');
      t.is(await settle(page, () => page.click('[data-testid="filter-apply"]')), 'ready');
      const page1 = await api.products.list(query);
      await assertRows(t, page, page1, 'filtered page 1');
      t.true(page1.data.every((p) => p.category === 'coffee' && p.price >= 20));

      // Forward twice, then back twice, each page equal to the API's page at that cursor.
      t.truthy(page1.next_cursor, 'the seed gives the filter at least three pages');
      await settle(page, () => page.click('[data-testid="next"]'));
      const page2 = await api.products.list({ ...query, cursor: page1.next_cursor ?? '' });
      await assertRows(t, page, page2, 'filtered page 2');
      t.is(await page.textContent('[data-testid="page-number"]'), 'Page 2');
      await page.screenshot({ path: join(ARTIFACTS, `storefront-${db.name}.png`), fullPage: true });
      t.truthy(page2.next_cursor);
      await settle(page, () => page.click('[data-testid="next"]'));
      const page3 = await api.products.list({ ...query, cursor: page2.next_cursor ?? '' });
      await assertRows(t, page, page3, 'filtered page 3');

      await settle(page, () => page.click('[data-testid="prev"]'));
      await assertRows(
        t,
        page,
        await api.products.list({ ...query, cursor: page3.prev_cursor ?? '' }),
        'back to page 2',
      );
      t.deepEqual(
        await page.$$eval('[data-testid="product-row"]', (rows) => rows.map((r) => r.getAttribute('data-id'))),
        page2.data.map((p) => p.id),
      );
      await settle(page, () => page.click('[data-testid="prev"]'));
      await assertRows(t, page, page1, 'back to page 1');
      t.is(await page.textContent('[data-testid="page-number"]'), 'Page 1');

      // Nothing matches: the empty state, not an empty table.
      await page.fill('[data-testid="filter-search"]', 'no such product anywhere');
      t.is(await settle(page, () => page.click('[data-testid="filter-apply"]')), 'empty');
      t.regex((await page.textContent('[data-testid="status"]')) ?? '', /No products match/);
      t.false(await page.isVisible('[data-testid="products"]'));

      // A query the API refuses (min above max): the error state, with the server's reason.
      await page.fill('[data-testid="filter-search"]', '');
      await page.fill('[data-testid="filter-max-price"]', '10');
      t.is(await settle(page, () => page.click('[data-testid="filter-apply"]')), 'error');
      t.regex(
        (await page.textContent('[data-testid="message"]')) ?? '',
        /min price must not be greater than max_price/,
      );

      // Sign out: back to the prompt.
      t.is(await settle(page, () => page.click('[data-testid="logout"]')), 'signed-out');
      t.true(await page.isVisible('[data-testid="login-form"]'));
      t.false(await page.isVisible('[data-testid="dashboard"]'));
      t.deepEqual(pageErrors, []);
    },
  );
  test.serial(`with public reads on, an anonymous visitor browses without the dashboard [${db.name}]`, async (t) => {
    const catalog = await createTestCatalog(db);
    t.teardown(() => catalog.destroy());
    await catalog.products.createMany(demoProducts(30, 7), { actor: SYSTEM_ACTOR });
    const storefront = await startStorefront({ catalog, server: { logger: false, env: {}, publicRead: true } });
    t.teardown(() => storefront.close());
    const anonymous = createClient({ baseUrl: storefront.url });

    const page = await context.newPage();
    t.teardown(() => page.close());
    t.is(await settle(page, () => page.goto(storefront.url)), 'ready');
    await assertRows(t, page, await anonymous.products.list({ limit: 10 }), 'anonymous first page');
    t.true(await page.isVisible('[data-testid="login-form"]'));
    t.false(await page.isVisible('[data-testid="dashboard"]'));
    await settle(page, () => page.click('[data-testid="next"]'));
    const first = await anonymous.products.list({ limit: 10 });
    await assertRows(
      t,
      page,
      await anonymous.products.list({ limit: 10, cursor: first.next_cursor ?? '' }),
      'anonymous page 2',
    );
  });
}

test.serial('the page bundle carries no zod and no Node built-ins', async (t) => {
  const { bundleStorefront } = await import('../server/bundle.js');
  const js = await bundleStorefront();
  t.notRegex(js, /from ["']zod["']|ZodError|require\(["']node:|from ["']node:/);
  t.regex(js, /CatalogApiError/, 'the SDK is bundled in');
});

test.before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
});
