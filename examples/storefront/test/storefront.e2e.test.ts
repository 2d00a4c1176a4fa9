import test from 'ava';
import { join } from 'node:path';
import { testDatabases } from '@catalog/core/testing';
import { createClient } from '@catalog/client';
import { demoProducts } from '../server/demo-data.js';
import { ARTIFACTS, assertRows, browserForTests, settle, shownIds } from './support/browser.js';
import { SHOPPER, startSeededStorefront } from './support/fixture.js';

const PRODUCT_COUNT = 150;

const browser = browserForTests();

for (const db of testDatabases()) {
  test.serial(
    `a shopper signs in, filters, pages forward and back and sees what the API returns [${db.name}]`,
    async (t) => {
      const { storefront } = await startSeededStorefront(t, db, demoProducts(PRODUCT_COUNT));

      // The same questions asked of the API directly, through the SDK, as the same user.
      const api = createClient({ baseUrl: storefront.url });
      await api.auth.login({ email: SHOPPER.email, password: SHOPPER.password });

      const page = await browser.context.newPage();
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
        await shownIds(page),
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
    const { storefront } = await startSeededStorefront(t, db, demoProducts(30, 7), { publicRead: true });
    const anonymous = createClient({ baseUrl: storefront.url });

    const page = await browser.context.newPage();
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
