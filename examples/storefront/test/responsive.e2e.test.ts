import test, { type ExecutionContext } from 'ava';
import { join } from 'node:path';
import { testDatabases } from '@catalog/core/testing';
import type { Page as BrowserPage } from 'playwright-core';
import { demoProducts } from '../server/demo-data.js';
import { ARTIFACTS, STORE_PRICE, browserForTests, settle, signIn } from './support/browser.js';
import { SHOPPER, startSeededStorefront } from './support/fixture.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
// The widest thing the dashboard shows: a long name at a price with a thousands separator.
const FLAGSHIP = {
  name: 'Grand Walnut Espresso Grinder, Deluxe Edition',
  category: 'kitchen',
  price: 1234.5,
  rating: 4.8,
};

const browser = browserForTests();

/** Asserts nothing sticks out sideways: no horizontal scroll, and each `selector` box inside the viewport. */
async function assertFits(t: ExecutionContext, page: BrowserPage, selectors: string[], label: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  t.true(scrollWidth <= innerWidth, `${label}: scrollWidth ${scrollWidth} <= innerWidth ${innerWidth}`);
  for (const selector of selectors) {
    const boxes = await page.$$eval(selector, (nodes) =>
      nodes.map((node) => {
        const { left, right } = node.getBoundingClientRect();
        return { left, right };
      }),
    );
    t.true(boxes.length > 0, `${label}: ${selector} is on the page`);
    const outside = boxes.filter((box) => box.left < 0 || box.right > innerWidth);
    t.deepEqual(outside, [], `${label}: every ${selector} inside the ${innerWidth} px viewport`);
  }
}

for (const db of testDatabases()) {
  test.serial(`at 390 px nothing overflows sideways, signed out and signed in; desktop too [${db.name}]`, async (t) => {
    const { storefront } = await startSeededStorefront(t, db, [...demoProducts(40), FLAGSHIP]);
    const page = await browser.context.newPage();
    t.teardown(() => page.close());
    await page.setViewportSize(PHONE);

    t.is(await settle(page, () => page.goto(storefront.url)), 'signed-out');
    await assertFits(t, page, ['[data-testid="login-form"] :is(input, button)'], 'phone, signed out');
    await page.screenshot({ path: join(ARTIFACTS, `storefront-phone-signed-out-${db.name}.png`), fullPage: true });

    t.is(await signIn(page, SHOPPER), 'ready');
    t.is(await page.textContent('[data-testid="dash-highest"]'), `${FLAGSHIP.name} · ${STORE_PRICE.format(1234.5)}`);
    t.is(STORE_PRICE.format(1234.5), '$1,234.50');
    const cells = ['name', 'category', 'price', 'rating'].map((cell) => `[data-testid="product-${cell}"]`);
    await assertFits(t, page, ['[data-testid="dashboard"] > div', '[data-testid="product-row"]', ...cells], 'phone');
    await page.screenshot({ path: join(ARTIFACTS, `storefront-phone-${db.name}.png`), fullPage: true });

    await page.setViewportSize(DESKTOP);
    await assertFits(t, page, ['[data-testid="dashboard"] > div', '[data-testid="product-row"]', ...cells], 'desktop');
    // On a wide screen the products stay a table with its column headings.
    t.true(await page.isVisible('[data-testid="products"] thead'));
    await page.screenshot({ path: join(ARTIFACTS, `storefront-desktop-${db.name}.png`), fullPage: true });
  });
}
