import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { chromium, type BrowserContext, type ViewportSize } from 'playwright-core';

/*
 * The one way the browser tests (packages/server/e2e, examples/storefront/test) start headless
 * Chromium. It lives outside the packages, imported by relative path, because it is test support
 * of two packages that must not depend on each other for it.
 */

/** The system Chromium (Debian's package), or CHROMIUM_PATH. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumOptions {
  /** The viewport of new pages (Playwright's default, 1280×720, when absent). */
  viewport?: ViewportSize;
}

export interface Chromium {
  readonly context: BrowserContext;
  /** Quits the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile directory: no cache, cookies or localStorage from an
 * earlier run.
 *
 * @example
 * const browser = await launchChromium({ viewport: { width: 1280, height: 1000 } });
 * const page = await browser.context.newPage();
 */
export async function launchChromium(options: ChromiumOptions = {}): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), 'catalog-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    ...(options.viewport ? { viewport: options.viewport } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One browser for the tests of a file: launched in `test.before`, quit in `test.after.always`.
 * Read `context` inside tests (it does not exist before the hook has run).
 *
 * @example
 * const browser = chromiumForTests();
 * test('…', async (t) => { const page = await browser.context.newPage(); … });
 */
export function chromiumForTests(options: ChromiumOptions = {}): { readonly context: BrowserContext } {
  let browser: Chromium | undefined;
  test.before(async () => {
    browser = await launchChromium(options);
  });
  test.after.always(async () => {
    await browser?.close();
  });
  return {
    get context() {
      if (!browser) throw new Error('the browser is launched in test.before; use it inside tests');
      return browser.context;
    },
  };
}
