import { fileURLToPath } from 'node:url';

/** packages/cli */
export const CLI_DIR = fileURLToPath(new URL('../..', import.meta.url));
