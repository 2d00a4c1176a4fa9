import test from 'ava';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { CLI_DIR } from './helpers/cli-paths.js';

test('docs/cli.md shows what the CLI prints today (npm run docs -- --check) [sqlite]', async (t) => {
  // Two dozen CLI runs in a row, on a machine shared with other suites.
  t.timeout(15 * 60_000);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CATALOG_')) env[key] = value;
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(CLI_DIR, 'scripts', 'cli-docs.ts'), '--check'],
      { cwd: CLI_DIR, env, timeout: 14 * 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
  t.is(result.code, 0, result.output);
  t.is(result.output, 'docs/cli.md is up to date\n');
});
