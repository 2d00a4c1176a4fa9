import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The storefront's folder (this file lives in `server/`). */
export const STOREFRONT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles `src/main.ts` and everything it imports (the SDK included, from its TypeScript source)
 * into one browser ES module. `outfile` writes it to disk; without it the code is returned.
 *
 * @example
 * const js = await bundleStorefront();
 * @throws {Error} esbuild's error when the page does not compile.
 */
export async function bundleStorefront(options: { outfile?: string; minify?: boolean } = {}): Promise<string> {
  const result = await build({
    absWorkingDir: STOREFRONT_ROOT,
    entryPoints: ['src/main.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    // Workspace packages export their TypeScript under the `source` condition: no SDK build needed.
    conditions: ['source'],
    minify: options.minify ?? false,
    sourcemap: options.outfile ? 'linked' : false,
    logLevel: 'silent',
    ...(options.outfile ? { outfile: options.outfile, write: true } : { write: false, outfile: 'storefront.js' }),
  });
  if (options.outfile) return options.outfile;
  const output = result.outputFiles?.find((file) => file.path.endsWith('.js'));
  if (!output) throw new Error('esbuild produced no JavaScript');
  return output.text;
}
