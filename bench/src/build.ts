import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/** The packages `catalog` runs from, built for the run. */
const BUILT_PACKAGES = ['contract', 'core', 'server', 'cli'];

/**
 * Builds the CLI and the packages it runs on (`lerna run build`), so the benchmark measures the
 * compiled dist/ that an installed Catalog runs — not tsx compiling the sources, whose loader
 * thread alone holds ~100 MB, which would swamp the export's memory figure. Returns a cleanup that
 * removes the dist/ directories this build created: a dist/ left behind would be what
 * `bin/catalog.js` runs after the next source change.
 */
export async function buildCatalog(): Promise<() => Promise<void>> {
  const dists = BUILT_PACKAGES.map((name) => join(ROOT, 'packages', name, 'dist'));
  const created = dists.filter((dir) => !existsSync(dir));
  console.error('building the catalog packages (lerna run build) …');
  const child = spawn('npx', ['lerna', 'run', 'build', '--scope', '@catalog/cli', '--include-dependencies'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('exit', resolve));
  const cleanup = async () => {
    for (const dir of created) await rm(dir, { recursive: true, force: true });
  };
  if (code !== 0) {
    await cleanup();
    throw new Error(`building the catalog packages failed (exit ${code})`);
  }
  return cleanup;
}
