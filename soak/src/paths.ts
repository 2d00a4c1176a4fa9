import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (commands run from there, like `npx catalog`). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
