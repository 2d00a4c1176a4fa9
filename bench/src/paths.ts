import { fileURLToPath } from 'node:url';

/** The repository root, bench/results/ and the catalog command's launcher. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));
export const CATALOG_BIN = fileURLToPath(new URL('../../packages/cli/bin/catalog.js', import.meta.url));
