import test, { type ExecutionContext } from 'ava';
import { testDatabases } from '@catalog/core/testing';
import type { Page as BrowserPage } from 'playwright-core';
import { demoProducts } from '../server/demo-data.js';
import { browserForTests, settle } from './support/browser.js';
import { startSeededStorefront } from './support/fixture.js';

const browser = browserForTests();

/** Everything a visit logs as a failure: console errors, uncaught errors, 4xx/5xx answers, failed requests. */
function recordProblems(page: BrowserPage): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  return problems;
}

async function visit(
  t: ExecutionContext,
  url: string,
): Promise<{ page: BrowserPage; state: string; problems: string[] }> {
  const page = await browser.context.newPage();
  t.teardown(() => page.close());
  const problems = recordProblems(page);
  const state = await settle(page, () => page.goto(url));
  // Whatever the page starts in the background (session, dashboard) has finished by now.
  await page.waitForLoadState('networkidle');
  return { page, state, problems };
}

for (const db of testDatabases()) {
  test.serial(
    `a signed-out visit asks the API nothing that needs a sign-in: no 401, no console error [${db.name}]`,
    async (t) => {
      const { storefront } = await startSeededStorefront(t, db, demoProducts(30));
      const { page, state, problems } = await visit(t, storefront.url);
      t.is(state, 'signed-out');
      t.true(await page.isVisible('[data-testid="login-form"]'));
      t.regex((await page.textContent('[data-testid="status"]')) ?? '', /Sign in to browse/);
      t.false(await page.isVisible('[data-testid="dashboard"]'));
      t.deepEqual(problems, []);
    },
  );

  test.serial(
    `with public reads on, a signed-out visit lists products with no 401 and no console error [${db.name}]`,
    async (t) => {
      const { storefront } = await startSeededStorefront(t, db, demoProducts(30), { publicRead: true });
      const { page, state, problems } = await visit(t, storefront.url);
      t.is(state, 'ready');
      t.is(await page.locator('[data-testid="product-row"]').count(), 10);
      t.false(await page.isVisible('[data-testid="dashboard"]'));
      t.deepEqual(problems, []);
    },
  );
}
