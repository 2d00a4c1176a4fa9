import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IMAGE, startContainer } from '../container.js';
import { docker, dockerWithFile } from '../docker.js';
import { ok } from '../report.js';
import type { Resources } from '../resources.js';
import { checkCli, stopWithinGrace } from './shared.js';

const run = promisify(execFile);

export interface VolumeContents {
  volume: string;
  port: number;
  users: { email: string; password: string }[];
  productIds: string[];
}

/**
 * The backup of a SQLite deployment that docs/deployment.md describes: with the server stopped, the
 * volume's files (the database, which also holds the generated secret) archived by a throwaway
 * container of the image, then restored into a new volume that a new container serves with the same users and products.
 */
export async function checkVolumeBackup(runId: string, resources: Resources, source: VolumeContents): Promise<void> {
  const restored = `catalog-test-restored-${runId}`;
  const name = resources.container(`catalog-test-restored-${runId}`);
  const directory = await mkdtemp(join(tmpdir(), 'catalog-docker-backup-'));
  resources.onRelease(() => rm(directory, { recursive: true, force: true }));
  const archive = join(directory, 'catalog-data.tar.gz');

  const tar = ['tar', '-C', '/app/data'];
  await dockerWithFile(oneOff(`${source.volume}:/app/data:ro`, [...tar, '-czf', '-', '.']), { stdout: archive });
  const { stdout: listing } = await run('tar', ['-tzf', archive]);
  const files = listing.split('\n');
  // The generated secret lives in the database, so the database file is the whole state.
  assert.ok(files.includes('./catalog.db'), './catalog.db in the archive');
  ok(`the stopped server's volume archived with tar in the image: ${files.filter(Boolean).join(' ')}`);

  await docker(['volume', 'create', restored]);
  resources.onRelease(() => docker(['volume', 'rm', restored]));
  await dockerWithFile(oneOff(`${restored}:/app/data`, [...tar, '-xzf', '-']), { stdin: archive });
  const api = await startContainer({ name, port: source.port, volume: restored });
  for (const user of source.users) await api.login(user.email, user.password);
  await checkCli(name, source.productIds);
  ok(`restored into ${restored}: a new container signs in ${source.users.length} users and lists the products`);
  await stopWithinGrace(name);
}

/** A throwaway container of the image with a volume on /app/data and no network, running `command`. */
function oneOff(mount: string, command: string[]): string[] {
  return ['run', '--rm', '-i', '--network', 'none', '-v', mount, IMAGE, ...command];
}
