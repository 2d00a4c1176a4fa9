import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config.js';

export const SECRET_FILE = 'catalog.secret';

/**
 * The secret that signs tokens and cursors: the configured one, else one generated once and kept
 * in `dataDir` (mode 0600) so it survives restarts. A `:memory:` catalog with no secret gets a
 * throw-away one: nothing it signs outlives the process anyway.
 */
export async function resolveSecret(config: Config): Promise<string> {
  if (config.secret) return config.secret;
  if (config.database.path === ':memory:') return randomBytes(32).toString('base64url');
  const file = join(config.dataDir, SECRET_FILE);
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const generated = randomBytes(48).toString('base64url');
  try {
    // 'wx' fails if another process created it first; then read theirs so both agree.
    await writeFile(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
    return generated;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readFile(file, 'utf8')).trim();
  }
}
