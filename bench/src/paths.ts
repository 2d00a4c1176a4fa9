import { fileURLToPath } from 'node:url';

/** The repository root, bench/results/ and the catalog command's launcher. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));
const CLI_MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));

/**
 * How the benchmark starts `catalog`: from the TypeScript sources (tsx, `source` condition), never
 * from a dist/ left by an earlier build, which would measure stale code. node:cluster workers
 * inherit these flags.
 */
export const CATALOG_COMMAND = [process.execPath, '--import', 'tsx', '--conditions=source', CLI_MAIN];
