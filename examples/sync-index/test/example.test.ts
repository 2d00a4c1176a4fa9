import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('..', import.meta.url));

test('the sync-index example runs as written: the index follows creates, updates and deletes, and resumes', async (t) => {
  const { stdout } = await run(process.execPath, ['--import=tsx', '--conditions=source', 'index.ts'], {
    cwd: dir,
    timeout: 60_000,
  });
  t.deepEqual(stdout.trim().split('\n'), [
    'applied product.created Green tea',
    'applied product.created Mug',
    'index: Green tea 3.5, Mug 6.5',
    'applied product.updated Green tea',
    'applied product.deleted Mug',
    'applied product.created Teapot',
    'index: Green tea 2.75, Teapot 24',
  ]);
});
