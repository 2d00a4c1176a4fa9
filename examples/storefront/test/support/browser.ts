import test, { type ExecutionContext } from 'ava';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page, Product } from '@catalog/client';
import type { BrowserContext, Page as BrowserPage } from 'playwright-core';
import { chromiumForTests } from '../../../../test-support/chromium.js';

/** Screenshots go to `test-artifacts/` at the repository root (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/', import.meta.url));

/** How the store shows a price; the page must agree with this. */
export const STORE_PRICE = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** The file's headless Chromium (launched before its tests, quit after), with the screenshot folder made. */
export function browserForTests(): { readonly context: BrowserContext } {
  test.before(() => mkdir(ARTIFACTS, { recursive: true }));
  return chromiumForTests({ viewport: { width: 1280, height: 1000 } });
}

const RESULTS = '[data-testid="results"]';

/**
 * Runs `action` and waits until the product listing it caused has settled; returns the state.
 * `reload` is for an action that loads a new document (reload, a link), whose count starts over.
 */
export async function settle(
  page: BrowserPage,
  action: () => Promise<unknown>,
  { reload = false }: { reload?: boolean } = {},
): Promise<string> {
  const before = reload
    ? 0
    : await page.evaluate(
        (selector) => Number(document.querySelector(selector)?.getAttribute('data-renders') ?? '0'),
        RESULTS,
      );
  await action();
  await page.waitForFunction(
    ([selector, n]) =>
      Number(document.querySelector(selector as string)?.getAttribute('data-renders') ?? '0') > (n as number),
    [RESULTS, before] as const,
  );
  return (await page.getAttribute(RESULTS, 'data-state')) ?? '';
}

/** The ids of the rows on screen, in order. */
export function shownIds(page: BrowserPage): Promise<(string | null)[]> {
  return page.$$eval('[data-testid="product-row"]', (rows) => rows.map((r) => r.getAttribute('data-id')));
}

/** Asserts the table shows exactly `expected`'s rows, in order, with their names and prices. */
export async function assertRows(
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
    expected.data.map((p) => ({ id: p.id, name: p.name, price: STORE_PRICE.format(p.price) })),
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

/** Signs in through the page's form and waits for the listing and the dashboard. */
export async function signIn(page: BrowserPage, user: { email: string; password: string }): Promise<string> {
  await page.fill('[data-testid="login-email"]', user.email);
  await page.fill('[data-testid="login-password"]', user.password);
  const state = await settle(page, () => page.click('[data-testid="login-submit"]'));
  await page.waitForSelector('[data-testid="dashboard"]:not([hidden])');
  return state;
}
