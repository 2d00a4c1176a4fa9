import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CLI_DIR } from './cli-paths.js';

/**
 * Bundles src/main.ts with the workspace packages' sources (the `source` condition) into one file,
 * leaving npm packages external, once per test process. Spawning the bundle is a real `catalog`
 * process like the built dist/, and starts several times faster than transpiling every module
 * through tsx, which keeps the spawn-heavy suite within its time budget. The bin launcher itself
 * is tested separately.
 */
let built: Promise<string> | undefined;

export function builtCli(): Promise<string> {
  built ??= (async () => {
    const root = join(CLI_DIR, 'test-artifacts');
    mkdirSync(root, { recursive: true });
    const dir = mkdtempSync(join(root, 'cli-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await build({
      entryPoints: {
        main: join(CLI_DIR, 'src', 'main.ts'),
        // Core's scan pool starts this file from beside its own chunk, as in core's dist/.
        'sqlite-scan-worker': join(CLI_DIR, '..', 'core', 'src', 'db', 'sqlite-scan-worker.ts'),
      },
      outdir: dir,
      // Code splitting keeps the CLI's dynamic imports lazy, as in dist/: usage errors and --help
      // answer without loading the ORM.
      splitting: true,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['source'],
      logLevel: 'error',
      plugins: [
        {
          name: 'npm-packages-external',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) =>
              args.path.startsWith('@catalog/') ? undefined : { path: args.path, external: true },
            );
          },
        },
      ],
    });
    return join(dir, 'main.js');
  })();
  return built;
}
