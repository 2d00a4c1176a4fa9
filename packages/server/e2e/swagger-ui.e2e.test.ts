import { testDatabases } from '@catalog/core/testing';
import test from 'ava';
import { chromiumForTests } from '../../../test-support/chromium.js';
import { PASSWORD, startTestServer, signedIn, type TestServer } from '../test/helpers.js';

const browser = chromiumForTests();
let server: TestServer;

test.before(async () => {
  const [db] = testDatabases();
  server = await startTestServer(db!);
});

test.after.always(async () => {
  await server?.close();
});

test('Swagger UI loads the spec, signs in with Authorize (OAuth2 password flow) and calls /auth/me [sqlite]', async (t) => {
  const { email } = await signedIn(server, 'admin');
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => {
    // The CSP must not block anything Swagger UI needs.
    if (message.type() === 'error') problems.push(message.text());
  });

  await page.goto(`${server.url}/docs`);
  await page.locator('#operations-auth-me').waitFor();
  const spec = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, object> };
  const operations = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  t.true(operations >= 25);
  t.is(await page.locator('.opblock').count(), operations, 'every operation rendered');

  await page.click('button.authorize');
  const oauth = page.locator('.auth-container', { hasText: 'oauth2' });
  await oauth.locator('#oauth_username').fill(email);
  await oauth.locator('#oauth_password').fill(PASSWORD);
  const tokenResponse = page.waitForResponse((response) => response.url().endsWith('/auth/token'));
  await oauth.locator('button.authorize').click();
  t.is((await tokenResponse).status(), 200);
  await oauth.locator('button:has-text("Logout")').waitFor();
  await page.click('button.btn-done');

  const me = page.locator('#operations-auth-me');
  await me.locator('.opblock-summary').click();
  await me.locator('button.try-out__btn').click();
  const meResponse = page.waitForResponse((response) => response.url().endsWith('/auth/me'));
  await me.locator('button.execute').click();
  const response = await meResponse;
  t.is(response.status(), 200);
  t.is(((await response.json()) as { email: string }).email, email);
  t.deepEqual(problems, []);
});
