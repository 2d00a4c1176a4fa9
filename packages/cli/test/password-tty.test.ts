import { spawn } from 'node:child_process';
import test from 'ava';
import { createTestCatalog, testDatabases } from '@catalog/core/testing';
import { builtCli } from './helpers/build.js';
import { CLI_DIR, cliEnv } from './helpers/cli.js';

const sqlite = testDatabases().find((db) => db.name === 'sqlite')!;

/**
 * `script` (util-linux) gives the CLI a real pseudo-terminal, so this is the interactive prompt as
 * a person sees it: whatever the terminal shows is in `screen`.
 */
test('users create on a terminal asks twice for the password without echoing it [sqlite]', async (t) => {
  const catalog = await createTestCatalog(sqlite);
  try {
    const password = 'Typed-Secret-4e2a';
    const command = `${process.execPath} ${await builtCli()} --db ${catalog.url} users create --email tty@example.com --format ndjson`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: CLI_DIR, env: cliEnv() });
    let screen = '';
    const waitFor = (text: string, from: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (screen.indexOf(text, from) >= 0) resolve();
        };
        child.stdout.on('data', check);
        child.on('close', () => reject(new Error(`no "${text}" on the terminal: ${screen}`)));
        check();
      });
    child.stdout.setEncoding('utf8').on('data', (text: string) => (screen += text));
    await waitFor('Password: ', 0);
    child.stdin.write(`${password}\r`);
    await waitFor('Repeat password: ', screen.indexOf('Password: ') + 1);
    child.stdin.write(`${password}\r`);
    const code = await new Promise((resolve) => child.on('close', resolve));
    t.is(code, 0, screen);
    t.regex(screen, /"email":"tty@example\.com"/);
    t.false(screen.includes(password), screen);
    t.truthy((await catalog.auth.login({ email: 'tty@example.com', password })).access_token);
  } finally {
    await catalog.destroy();
  }
});
