import test, { type ExecutionContext } from 'ava';
import { SYSTEM_ACTOR, type Catalog } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { createClient, type CatalogClient } from '@catalog/client';
import type { Page as BrowserPage } from 'playwright-core';
import { demoProducts } from '../server/demo-data.js';
import { STORE_PRICE, assertRows, browserForTests, settle, shownIds, signIn } from './support/browser.js';
import { startCuttingProxy } from './support/cutting-proxy.js';
import { SHOPPER, startSeededStorefront } from './support/fixture.js';

/** How soon a change must show on an open page (issue 15). */
const LIVE_MS = 2000;
const ADMIN = { email: 'e2e-admin@example.com', password: 'storefront e2e admin', name: 'E2E Admin' };

const browser = browserForTests();

/** An SDK client signed in as an admin: the one who changes products while the shopper looks. */
async function adminClient(catalog: Catalog, url: string): Promise<CatalogClient> {
  await catalog.users.create({ ...ADMIN, role: 'admin' }, { actor: SYSTEM_ACTOR });
  const admin = createClient({ baseUrl: url });
  await admin.auth.login({ email: ADMIN.email, password: ADMIN.password });
  return admin;
}

interface OpenPage {
  page: BrowserPage;
  /** Uncaught errors in the page. */
  errors: string[];
  /** The URLs of the page's `GET /changes/stream` requests, in order. */
  streams: string[];
}

/** The shopper signed in on `url`, the page following the change feed. */
async function openSignedIn(t: ExecutionContext, url: string): Promise<OpenPage> {
  const page = await browser.context.newPage();
  t.teardown(() => page.close());
  const errors: string[] = [];
  const streams: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/changes/stream') streams.push(request.url());
  });
  await settle(page, () => page.goto(url));
  t.is(await signIn(page, SHOPPER), 'ready');
  await page.waitForSelector('[data-testid="results"][data-live="on"]');
  return { page, errors, streams };
}

/** A cell of the row of `id`, as shown. */
function cell(page: BrowserPage, id: string, testId: string): Promise<string | null> {
  return page.textContent(`tr[data-id="${id}"] [data-testid="${testId}"]`);
}

/** Waits until the row of `id` shows `text` in its `testId` cell, at most `timeout` ms. */
async function waitForCell(page: BrowserPage, id: string, testId: string, text: string, timeout: number) {
  await page.waitForFunction(
    ([selector, expected]) => document.querySelector(selector as string)?.textContent === expected,
    [`tr[data-id="${id}"] [data-testid="${testId}"]`, text] as const,
    { timeout },
  );
}

/** Sets a mark on the page's window: it survives history entries but not a reload or a navigation. */
async function markDocument(page: BrowserPage): Promise<void> {
  await page.evaluate(() => Object.assign(window, { liveTestMark: true }));
}

function documentIsMarked(page: BrowserPage): Promise<boolean> {
  return page.evaluate(() => 'liveTestMark' in window);
}

/** `catalog_sse_streams_open` from the server's `/metrics`: the change streams it holds open. */
async function openStreams(url: string): Promise<number> {
  const text = await (await fetch(new URL('metrics', url))).text();
  const match = /^catalog_sse_streams_open (\d+)$/m.exec(text);
  if (!match) throw new Error('catalog_sse_streams_open is missing from /metrics');
  return Number(match[1]);
}

/** Polls `read` until it returns `expected` (or `timeout` ms pass); returns the last value read. */
async function eventually<T>(read: () => Promise<T>, expected: T, timeout = 5000): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

for (const db of testDatabases()) {
  test.serial(
    `changes made through the API show on the open page; new products raise a notice [${db.name}]`,
    async (t) => {
      const { catalog, storefront } = await startSeededStorefront(t, db, demoProducts(40, 3));
      const admin = await adminClient(catalog, storefront.url);
      const shopper = createClient({ baseUrl: storefront.url });
      await shopper.auth.login({ email: SHOPPER.email, password: SHOPPER.password });
      const { page, errors } = await openSignedIn(t, storefront.url);

      // The tea listing, so that creations outside it can be told apart.
      await page.selectOption('[data-testid="filter-category"]', 'tea');
      t.is(await settle(page, () => page.click('[data-testid="filter-apply"]')), 'ready');
      await markDocument(page);
      const ids = (await shownIds(page)) as string[];
      t.true(ids.length >= 3, 'the seed has at least three tea products');
      const [changed, deleted] = [ids[1]!, ids[2]!];

      // An update: the row shows the new name, price and rating in place.
      await admin.products.patch(changed, { name: 'Live Renamed Sencha', price: 1234.5, rating: 4.9 });
      await waitForCell(page, changed, 'product-name', 'Live Renamed Sencha', LIVE_MS);
      t.is(await cell(page, changed, 'product-price'), STORE_PRICE.format(1234.5));
      t.is(await cell(page, changed, 'product-rating'), '4.9');

      // A delete: the row stays where it is, greyed and marked.
      await admin.products.delete(deleted);
      await page.waitForSelector(`tr[data-id="${deleted}"][data-gone]`, { timeout: LIVE_MS });
      t.regex((await cell(page, deleted, 'product-name')) ?? '', /No longer available/);
      t.deepEqual(await shownIds(page), ids, 'no row moved');

      // Two new tea products and a coffee one: "2 new", and the rows stay as they are.
      t.true(await page.isHidden('[data-testid="new-products"]'));
      const created = await admin.products.createMany([
        { name: 'Live New Matcha', category: 'tea', price: 9.5 },
        { name: 'Live New Roast', category: 'coffee', price: 12 },
        { name: 'Live New Chai', category: 'tea', price: 7 },
      ]);
      await page.waitForSelector('[data-testid="new-products"][data-count="2"]', { timeout: LIVE_MS });
      t.is(await page.textContent('[data-testid="new-products"]'), '2 new products · Show');
      t.deepEqual(await shownIds(page), ids, 'no row moved');

      // The notice shows them: the first tea page, newest first, as the API has it.
      t.is(await settle(page, () => page.click('[data-testid="new-products"]')), 'ready');
      const teaFirst = await shopper.products.list({ category: 'tea', limit: 10 });
      await assertRows(t, page, teaFirst, 'after the notice');
      t.deepEqual(
        (await shownIds(page)).slice(0, 2).sort(),
        [created[0]!.id, created[2]!.id].sort(),
        'the two new tea products lead the listing',
      );
      t.true(await page.isHidden('[data-testid="new-products"]'));
      t.true(await documentIsMarked(page), 'the page was never reloaded or left');
      t.deepEqual(errors, []);
    },
  );

  test.serial(
    `the page follows the feed across a dropped connection and closes it when left [${db.name}]`,
    async (t) => {
      const { catalog, storefront } = await startSeededStorefront(t, db, demoProducts(20, 5));
      const admin = await adminClient(catalog, storefront.url);
      const proxy = await startCuttingProxy(storefront.url);
      t.teardown(() => proxy.close());
      const { page, errors, streams } = await openSignedIn(t, proxy.url);
      await markDocument(page);
      t.is(await eventually(() => openStreams(storefront.url), 1), 1, 'one stream while the page is open');
      t.is(streams.length, 1);

      // The network drops the stream; a change written before the SDK reconnects still arrives.
      const [id] = (await shownIds(page)) as string[];
      proxy.cut();
      await admin.products.patch(id!, { price: 4321 });
      await waitForCell(page, id!, 'product-price', STORE_PRICE.format(4321), 10_000);
      t.is(streams.length, 2, 'the SDK opened a new stream');
      t.truthy(new URL(streams[1]!).searchParams.get('cursor'), 'resuming after the last change seen');
      t.is(await eventually(() => openStreams(storefront.url), 1), 1, 'still exactly one stream');
      t.true(await documentIsMarked(page), 'no reload');

      // Leaving the page closes the stream.
      await page.goto('about:blank');
      t.is(await eventually(() => openStreams(storefront.url), 0), 0, 'no stream left open');
      t.deepEqual(errors, []);
    },
  );
}
