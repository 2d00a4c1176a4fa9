import test from 'ava';
import { testDatabases } from '../helpers.js';
import { PASSWORD, prepareDatabase, spawnServer, type ServerProcess } from './support/processes.js';

const LOGIN_FAILURES = 3;
const AUTH_PER_IP = 8;

function post(server: ServerProcess, path: string, json: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
}

for (const db of testDatabases()) {
  // Serial: each test starts two server processes; four at once crowd a 2-core machine.
  test.serial(
    `two server processes on one database count the failed-login and per-IP auth limits together [${db.name}]`,
    async (t) => {
      const prepared = await prepareDatabase(db);
      const env = {
        CATALOG_RATE_LIMIT_LOGIN_FAILURES: String(LOGIN_FAILURES),
        CATALOG_RATE_LIMIT_AUTH_PER_IP: String(AUTH_PER_IP),
      };
      const [a, b] = await Promise.all([spawnServer(prepared.url, env), spawnServer(prepared.url, env)]);
      try {
        const servers = [a!, b!];
        // Failed logins for one account, alternating between the processes: the limit counts them together.
        for (let i = 0; i < LOGIN_FAILURES; i++) {
          t.is(
            (await post(servers[i % 2]!, '/auth/login', { email: prepared.user.email, password: 'wrong password' }))
              .status,
            401,
          );
        }
        const locked = await post(servers[LOGIN_FAILURES % 2]!, '/auth/login', {
          email: prepared.user.email,
          password: PASSWORD,
        });
        t.is(locked.status, 429, 'the account is locked on the process that saw none of its failures too');
        t.truthy(locked.headers.get('retry-after'));

        // Per-IP auth requests: 4 counted so far; the rest of the budget, alternating, then 429 on either.
        for (let i = LOGIN_FAILURES + 1; i < AUTH_PER_IP; i++) {
          t.not(
            (
              await post(servers[i % 2]!, '/auth/register', {
                email: `ip-${i}-${db.name}@example.com`,
                password: PASSWORD,
              })
            ).status,
            429,
          );
        }
        for (const server of servers) {
          const limited = await post(server, '/auth/refresh', { refresh_token: prepared.admin.refresh_token });
          t.is(limited.status, 429, 'the IP budget is spent on both processes');
        }
      } finally {
        await Promise.all([a!.stop(), b!.stop()]);
        await prepared.drop();
      }
    },
  );

  test.serial(
    `refresh-token reuse is detected across two server processes, also when both refresh at once [${db.name}]`,
    async (t) => {
      const prepared = await prepareDatabase(db);
      const [a, b] = await Promise.all([spawnServer(prepared.url), spawnServer(prepared.url)]);
      try {
        const old = prepared.admin.refresh_token;
        const rotated = await post(a!, '/auth/refresh', { refresh_token: old });
        t.is(rotated.status, 200);
        const next = ((await rotated.json()) as { refresh_token: string }).refresh_token;
        t.is(
          (await post(b!, '/auth/refresh', { refresh_token: old })).status,
          401,
          'the other process sees the token as used',
        );
        t.is(
          (await post(b!, '/auth/refresh', { refresh_token: next })).status,
          401,
          'and the reuse revoked the whole family',
        );

        // One token, two processes, at the same moment: exactly one rotation wins.
        for (let round = 0; round < 5; round++) {
          const login = (await (
            await post(round % 2 ? a! : b!, '/auth/login', { email: prepared.user.email, password: PASSWORD })
          ).json()) as { refresh_token: string };
          const statuses = (
            await Promise.all(
              [a!, b!, a!, b!].map((server) => post(server, '/auth/refresh', { refresh_token: login.refresh_token })),
            )
          ).map((r) => r.status);
          t.is(statuses.filter((s) => s === 200).length, 1, `round ${round}: one winner (${statuses.join(', ')})`);
          t.deepEqual(
            statuses.filter((s) => s !== 200),
            [401, 401, 401],
            'the others are refused as reuse, never a 5xx',
          );
        }
      } finally {
        await Promise.all([a!.stop(), b!.stop()]);
        await prepared.drop();
      }
    },
  );
}
