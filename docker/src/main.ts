// `npm run test:docker`: builds the image with the repository's Dockerfile, as users do, and checks
// it in real containers. Needs root and a Docker engine (started here when none runs) or dockerd
// and debootstrap installed; makes the base image locally when no registry provides it.
import { fileURLToPath } from 'node:url';
import { checkImage } from './checks/image.js';
import { checkPostgres } from './checks/postgres.js';
import { checkSqliteVolume } from './checks/sqlite-volume.js';
import { IMAGE } from './container.js';
import { shown } from './docker.js';
import { seconds, step } from './report.js';
import { Resources } from './resources.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const runId = `${Date.now().toString(36)}${process.pid}`;
const resources = new Resources();
const started = Date.now();

try {
  await step('Docker engine', () => shown('docker/engine.sh', [], ROOT));
  await step('base image', () => shown('docker/base-image.sh', [], ROOT));
  // The engine runs without a bridge network (docker/engine.sh): builds use the host's network.
  await step(`docker build -t ${IMAGE} .`, () =>
    shown('docker', ['build', '--network', 'host', '-t', IMAGE, '.'], ROOT),
  );
  await step('image contents and size', () => checkImage(ROOT));
  await step('SQLite in a volume', () => checkSqliteVolume(runId, resources));
  await step('PostgreSQL', () => checkPostgres(runId, resources));
  console.log(`\ntest:docker passed in ${seconds(started)} s`);
} catch (error) {
  console.error(`\nnot ok: ${error instanceof Error ? error.message : String(error)}`);
  await resources.printLogs();
  process.exitCode = 1;
} finally {
  await resources.release();
}
