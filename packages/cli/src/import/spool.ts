import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Copies a stream (stdin) into a temporary file so an import can read it twice (validate, then
 * insert) in constant memory. `remove()` deletes it.
 */
export async function spoolToFile(input: Readable): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-import-'));
  const path = join(dir, 'stdin');
  await pipeline(input, createWriteStream(path));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
