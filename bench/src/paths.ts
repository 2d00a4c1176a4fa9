import { fileURLToPath } from 'node:url';

/** The repository root, bench/results/ and the catalog command's launcher. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));
const CLI_MAIN = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

/**
 * How the benchmark starts `catalog`: the compiled CLI, as an installed Catalog runs it, built
 * fresh at the start of every run (build.ts), so never stale code. node:cluster workers run the
 * same file.
 */
export const CATALOG_COMMAND = [process.execPath, CLI_MAIN];
