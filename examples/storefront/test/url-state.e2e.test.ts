import test from 'ava';
import { testDatabases } from '@catalog/core/testing';
import { createClient } from '@catalog/client';
import { demoProducts } from '../server/demo-data.js';
import { assertRows, browserForTests, settle, signIn } from './support/browser.js';
import { SHOPPER, startSeededStorefront } from './support/fixture.js';

const browser = browserForTests();

for (const db of testDatabases()) {
  test.serial(
    `filters, sort and page live in the URL: reload restores the page, Back and Forward walk the history [${db.name}]`,
    async (t) => {
      const { storefront } = await startSeededStorefront(t, db, demoProducts(150));
      const api = createClient({ baseUrl: storefront.url });
      await api.auth.login({ email: SHOPPER.email, password: SHOPPER.password });
      const page = await browser.context.newPage();
      t.teardown(() => page.close());
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      const params = () => Object.fromEntries(new URL(page.url()).searchParams);
      const formValues = () =>
        page.$$eval('[data-testid^="filter-"]:is(input, select)', (controls) =>
          Object.fromEntries(
            controls.map((c) => [c.getAttribute('name'), (c as HTMLInputElement | HTMLSelectElement).value]),
          ),
        );

      await settle(page, () => page.goto(storefront.url));
      t.is(await signIn(page, SHOPPER), 'ready');
      const unfiltered = await api.products.list({ limit: 10 });
      await assertRows(t, page, unfiltered, 'first page');

      // Apply filters: the URL carries them.
      const query = { category: 'tea', min_price: 15, sort_by: 'price', sort_order: 'asc', limit: 10 } as const;
      await page.selectOption('[data-testid="filter-category"]', 'tea');
      await page.fill('[data-testid="filter-min-price"]', '15');
      await page.selectOption('[data-testid="filter-sort-by"]', 'price');
      await page.selectOption('[data-testid="filter-sort-order"]', 'asc');
      t.is(await settle(page, () => page.click('[data-testid="filter-apply"]')), 'ready');
      // Only what differs from the form's defaults (10 a page, newest first) is in the address.
      t.deepEqual(params(), { category: 'tea', min_price: '15', sort_by: 'price', sort_order: 'asc' });
      const page1 = await api.products.list(query);
      await assertRows(t, page, page1, 'filtered page 1');

      // Next twice: the cursor and the page number join the URL.
      await settle(page, () => page.click('[data-testid="next"]'));
      const page2 = await api.products.list({ ...query, cursor: page1.next_cursor ?? '' });
      await settle(page, () => page.click('[data-testid="next"]'));
      const page3 = await api.products.list({ ...query, cursor: page2.next_cursor ?? '' });
      await assertRows(t, page, page3, 'filtered page 3');
      t.like(params(), { category: 'tea', cursor: page2.next_cursor ?? '', page: '3' });

      // Reload: the same page, the same form, the same page number.
      t.is(await settle(page, () => page.reload(), { reload: true }), 'ready');
      await assertRows(t, page, page3, 'page 3 after reload');
      t.is(await page.textContent('[data-testid="page-number"]'), 'Page 3');
      t.like(await formValues(), { category: 'tea', min_price: '15', sort_by: 'price', sort_order: 'asc' });

      // Back: page 2, page 1, then the unfiltered listing with the form reset to match.
      t.is(await settle(page, () => page.goBack()), 'ready');
      await assertRows(t, page, page2, 'Back to page 2');
      t.is(await page.textContent('[data-testid="page-number"]'), 'Page 2');
      await settle(page, () => page.goBack());
      await assertRows(t, page, page1, 'Back to page 1');
      t.is(await page.textContent('[data-testid="page-number"]'), 'Page 1');
      await settle(page, () => page.goBack());
      await assertRows(t, page, unfiltered, 'Back to the unfiltered listing');
      t.deepEqual(params(), {});
      t.like(await formValues(), { category: '', min_price: '', sort_by: 'created_at', sort_order: 'desc' });

      // Forward again: the filtered first page, the form filled in again.
      await settle(page, () => page.goForward());
      await assertRows(t, page, page1, 'Forward to page 1');
      t.like(await formValues(), { category: 'tea', min_price: '15', sort_by: 'price' });

      // A link to a page opened in a new tab shows that page.
      const linked = await browser.context.newPage();
      t.teardown(() => linked.close());
      const url = new URL(storefront.url);
      url.search = new URLSearchParams({
        ...query,
        min_price: '15',
        limit: '10',
        cursor: page1.next_cursor ?? '',
        page: '2',
      }).toString();
      t.is(await settle(linked, () => linked.goto(url.href)), 'ready');
      await assertRows(t, linked, page2, 'page 2 from a link');

      // A link with a value the form cannot hold (an unknown sort) shows the first page of what it can hold.
      url.search = new URLSearchParams({
        category: 'tea',
        sort_by: 'popularity',
        cursor: page1.next_cursor ?? '',
        page: '2',
      }).toString();
      t.is(await settle(linked, () => linked.goto(url.href), { reload: true }), 'ready');
      await assertRows(t, linked, await api.products.list({ category: 'tea', limit: 10 }), 'first tea page');
      t.deepEqual(Object.fromEntries(new URL(linked.url()).searchParams), { category: 'tea' });
      t.deepEqual(pageErrors, []);
    },
  );
}
