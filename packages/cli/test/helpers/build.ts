import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { CLI_DIR } from './cli-paths.js';

/**
 * Bundles src/main.ts with the workspace packages' sources (the `source` condition) and the npm
 * packages they import into one tree of files, once per change of what goes into it. Spawning the
 * bundle is a real `catalog` process like the built dist/, and starts several times faster than
 * transpiling every module through tsx, and about twice as fast as resolving and compiling the
 * thousand-odd CommonJS modules of the ORM stack one by one: this keeps the spawn-heavy suite
 * within its time budget. The bin launcher itself (dist/ or sources, npm packages from
 * node_modules) is tested separately.
 *
 * The bundle is cached under test-artifacts/ by a digest of its inputs, so the suite's test
 * files (one process each) build it once between them instead of once each.
 */
let built: Promise<string> | undefined;

export function builtCli(): Promise<string> {
  built ??= (async () => {
    const root = join(CLI_DIR, 'test-artifacts');
    const dir = join(root, `bundle-${inputsDigest()}`);
    const main = join(dir, 'main.js');
    if (existsSync(main)) return main;
    mkdirSync(root, { recursive: true });
    // Built aside and renamed into place, so a concurrent test process never sees half a bundle.
    const staging = join(root, `staging-${process.pid}-${Date.now()}`);
    try {
      await bundle(staging);
      renameSync(staging, dir);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      // Another test process renamed the same bundle into place first.
      if (!existsSync(main)) throw error;
    }
    removeStaleBundles(root, dir);
    return main;
  })();
  return built;
}

/**
 * npm packages left outside the bundle and loaded from node_modules: native addons, and packages
 * that locate files next to their own code (worker scripts, assets) and would look in the wrong
 * place from inside a bundle.
 */
const EXTERNAL = new Set(['better-sqlite3', 'sqlite3', 'pino', 'pino-pretty', 'thread-stream', 'swagger-ui-dist']);

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const npmPackages: Plugin = {
  name: 'npm-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('@catalog/')) return undefined;
      if (args.path.startsWith('node:') || EXTERNAL.has(packageName(args.path))) {
        return { path: args.path, external: true };
      }
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      // Optional dependencies that are not installed (pg-native, the drivers knex supports but
      // Catalog does not use) are only required when used: they stay a runtime require.
      return resolved.errors.length > 0 ? { path: args.path, external: true } : resolved;
    });
  },
};

async function bundle(outdir: string): Promise<void> {
  await build({
    entryPoints: {
      main: join(CLI_DIR, 'src', 'main.ts'),
      // Core's scan pool starts this file from beside its own chunk, as in core's dist/.
      'sqlite-scan-worker': join(CLI_DIR, '..', 'core', 'src', 'db', 'sqlite-scan-worker.ts'),
    },
    outdir,
    // Code splitting keeps the CLI's dynamic imports lazy, as in dist/: usage errors and --help
    // answer without loading the ORM.
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    logLevel: 'error',
    // The bundled CommonJS packages require Node's built-in modules and the external packages.
    banner: {
      js:
        "import { createRequire as __catalogRequire } from 'node:module';\n" +
        'const require = __catalogRequire(import.meta.url);',
    },
    plugins: [npmPackages],
  });
}

/**
 * A digest of everything the bundle is made of: the workspace packages' sources and manifests,
 * the installed npm packages (through the lockfile npm writes into node_modules) and this file.
 */
function inputsDigest(): string {
  const hash = createHash('sha256');
  const repo = join(CLI_DIR, '..', '..');
  const files = [join(repo, 'node_modules', '.package-lock.json'), join(CLI_DIR, 'test', 'helpers', 'build.ts')];
  for (const pkg of readdirSync(join(repo, 'packages'))) {
    files.push(join(repo, 'packages', pkg, 'package.json'));
    const src = join(repo, 'packages', pkg, 'src');
    if (existsSync(src)) files.push(...listFiles(src));
  }
  for (const file of files.sort()) hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** Bundles of earlier sources, once nothing can be using them any more (a run lasts minutes, not hours). */
function removeStaleBundles(root: string, current: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (path !== current && /^(bundle|staging|cli)-/.test(name) && statSync(path).mtimeMs < hourAgo) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}
