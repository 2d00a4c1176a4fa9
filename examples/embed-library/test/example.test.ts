import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('..', import.meta.url));

test('the embed-library example runs as written and prints what the README says', async (t) => {
  const { stdout } = await run(process.execPath, ['--import=tsx', '--conditions=source', 'index.ts'], {
    cwd: dir,
    timeout: 60_000,
  });
  t.regex(stdout, /^page 1: Black tea 2\.75, Green tea 3\.5$/m);
  t.regex(stdout, /^page 2: Mug 6\.5, Espresso beans 12\.9$/m);
  t.regex(stdout, /^drink: Green tea$/m);
  t.regex(stdout, /^drink: Black tea$/m);
  t.regex(stdout, /^total: 5, average rating: 4\.3$/m);
});
