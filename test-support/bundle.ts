import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Bundles a package's src/main.ts with the workspace packages' sources (the `source` condition)
 * and the npm packages they import into one tree of files, once per change of what goes into it.
 * Spawning the bundle is a real process like the built dist/ (the CLI's `catalog`, the server's
 * `npm start`), and starts several times faster than transpiling every module through tsx, and
 * about twice as fast as resolving and compiling the thousand-odd CommonJS modules of the ORM
 * stack one by one: this keeps the spawn-heavy suites within their time budget. The launchers
 * themselves (bin/, `npm start`) are tested separately.
 *
 * The bundle is cached under the package's test-artifacts/ by a digest of its inputs, so a
 * suite's test files (one process each) build it once between them instead of once each.
 *
 * @param packageDir the package whose src/main.ts is bundled (packages/cli, packages/server).
 * @returns the path of the bundle's main.js.
 */
export function bundledMain(packageDir: string): Promise<string> {
  let built = bundles.get(packageDir);
  if (!built) {
    built = buildOnce(packageDir);
    bundles.set(packageDir, built);
  }
  return built;
}

const bundles = new Map<string, Promise<string>>();

/** The repository root. */
const REPO = fileURLToPath(new URL('..', import.meta.url));

async function buildOnce(packageDir: string): Promise<string> {
  const root = join(packageDir, 'test-artifacts');
  const dir = join(root, `bundle-${inputsDigest()}`);
  const main = join(dir, 'main.js');
  if (existsSync(main)) return main;
  mkdirSync(root, { recursive: true });
  // Built aside and renamed into place, so a concurrent test process never sees half a bundle.
  const staging = join(root, `staging-${process.pid}-${Date.now()}`);
  try {
    await bundle(packageDir, staging);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another test process renamed the same bundle into place first.
    if (!existsSync(main)) throw error;
  }
  removeStaleBundles(root, dir);
  return main;
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

async function bundle(packageDir: string, outdir: string): Promise<void> {
  await build({
    entryPoints: {
      main: join(packageDir, 'src', 'main.ts'),
      // Core's scan pool starts this file from beside its own chunk, as in core's dist/.
      'sqlite-scan-worker': join(REPO, 'packages', 'core', 'src', 'db', 'sqlite-scan-worker.ts'),
    },
    outdir,
    // Code splitting keeps dynamic imports lazy, as in dist/: the CLI's usage errors and --help
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
 * A digest of everything a bundle is made of: the workspace packages' sources and manifests, the
 * installed npm packages (through the lockfile npm writes into node_modules) and this file.
 */
function inputsDigest(): string {
  const hash = createHash('sha256');
  const files = [join(REPO, 'node_modules', '.package-lock.json'), fileURLToPath(import.meta.url)];
  for (const pkg of readdirSync(join(REPO, 'packages'))) {
    files.push(join(REPO, 'packages', pkg, 'package.json'));
    const src = join(REPO, 'packages', pkg, 'src');
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
