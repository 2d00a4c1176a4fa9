import test from 'ava';
import { PASSWORD, call, problemOf, serversFor, signedIn, subjectOf, testDatabases } from './helpers.js';

const serverFor = serversFor(test);

async function oauthError(
  response: Response,
): Promise<{ status: number; error: unknown; description: unknown; cache: string | null }> {
  const body = (await response.json()) as { error?: unknown; error_description?: unknown };
  return {
    status: response.status,
    error: body.error,
    description: typeof body.error_description,
    cache: response.headers.get('cache-control'),
  };
}

for (const db of testDatabases()) {
  const tag = `[${db.name}]`;

  test(`the password grant answers a bearer token response, not cached ${tag}`, async (t) => {
    const server = serverFor(db);
    const { email } = await signedIn(server);
    // As Swagger UI sends it: empty scope, and client credentials in a Basic header ("undefined:undefined").
    const response = await call(server, 'POST', '/auth/token', {
      form: { grant_type: 'password', username: email, password: PASSWORD, scope: '' },
      headers: { authorization: `Basic ${Buffer.from('undefined:undefined').toString('base64')}` },
    });
    t.is(response.status, 200);
    t.is(response.headers.get('cache-control'), 'no-store');
    t.is(response.headers.get('pragma'), 'no-cache');
    const tokens = (await response.json()) as { access_token: string; token_type: string; refresh_token: string };
    t.is(tokens.token_type, 'bearer');
    t.is((await call(server, 'GET', '/auth/me', { token: tokens.access_token })).status, 200);
  });

  test(`the refresh_token grant rotates, and a reused token is invalid_grant ${tag}`, async (t) => {
    const server = serverFor(db);
    const first = await signedIn(server);
    const response = await call(server, 'POST', '/auth/token', {
      form: { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    });
    t.is(response.status, 200);
    const second = (await response.json()) as { access_token: string; refresh_token: string };
    t.is(subjectOf(second.access_token), subjectOf(first.access_token));
    const reused = await call(server, 'POST', '/auth/token', {
      form: { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    });
    t.deepEqual(await oauthError(reused), {
      status: 400,
      error: 'invalid_grant',
      description: 'string',
      cache: 'no-store',
    });
  });

  test(`bad credentials are invalid_grant (400, RFC 6749 §5.2) ${tag}`, async (t) => {
    const server = serverFor(db);
    const { email } = await signedIn(server);
    const response = await call(server, 'POST', '/auth/token', {
      form: { grant_type: 'password', username: email, password: 'wrong password' },
    });
    t.is(response.headers.get('content-type'), 'application/json; charset=utf-8');
    t.deepEqual(await oauthError(response), {
      status: 400,
      error: 'invalid_grant',
      description: 'string',
      cache: 'no-store',
    });
  });

  test(`unknown or missing grant types and missing parameters are named errors ${tag}`, async (t) => {
    const server = serverFor(db);
    const cases: [Record<string, string>, string][] = [
      [{ grant_type: 'client_credentials' }, 'unsupported_grant_type'],
      [{ grant_type: 'authorization_code', code: 'x' }, 'unsupported_grant_type'],
      [{}, 'invalid_request'],
      [{ grant_type: 'password', username: 'a@example.com' }, 'invalid_request'],
      [{ grant_type: 'password', password: PASSWORD }, 'invalid_request'],
      [{ grant_type: 'refresh_token' }, 'invalid_request'],
    ];
    for (const [form, error] of cases) {
      const result = await oauthError(await call(server, 'POST', '/auth/token', { form }));
      t.deepEqual(result, { status: 400, error, description: 'string', cache: 'no-store' }, JSON.stringify(form));
    }
  });

  test(`a repeated parameter is invalid_request ${tag}`, async (t) => {
    const body = 'grant_type=password&username=a%40example.com&username=b%40example.com&password=x';
    const response = await call(serverFor(db), 'POST', '/auth/token', {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    t.like(await oauthError(response), { status: 400, error: 'invalid_request' });
  });

  test(`a JSON body is refused with 415: the token endpoint takes forms ${tag}`, async (t) => {
    const response = await call(serverFor(db), 'POST', '/auth/token', {
      json: { grant_type: 'password', username: 'a@example.com', password: PASSWORD },
    });
    await problemOf(t, response, 415, 'unsupported_media_type');
  });
}
