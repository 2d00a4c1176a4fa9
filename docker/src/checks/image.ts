import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE } from '../container.js';
import { docker } from '../docker.js';
import { ok } from '../report.js';

const MB = 1000 * 1000; // as `docker image ls` and `docker history` count
const MAX_ABOVE_BASE = 150 * MB;

/**
 * What the image holds above its base: reported layer by layer, under 150 MB, and only what runs
 * (no sources, tests, TypeScript, compilers or development dependencies).
 */
export async function checkImage(root: string): Promise<void> {
  const base = await baseImage(root);
  const baseId = await docker(['image', 'inspect', '-f', '{{.Id}}', base]);
  const [size, baseSize] = await Promise.all([imageSize(IMAGE), imageSize(base)]);
  const history = await docker(['history', '--no-trunc', '--format', '{{.ID}}\t{{.Size}}\t{{.CreatedBy}}', IMAGE]);
  console.log(`layers of ${IMAGE} above ${base}:`);
  for (const line of history.split('\n')) {
    const [id, layerSize, createdBy] = line.split('\t');
    if (id === baseId) break;
    console.log(`  ${layerSize!.padStart(9)}  ${createdBy!.replace(/\s+/g, ' ').slice(0, 100)}`);
  }
  const above = size - baseSize;
  console.log(
    `  ${IMAGE}: ${(size / MB).toFixed(1)} MB = ${base} ${(baseSize / MB).toFixed(1)} MB + ${(above / MB).toFixed(1)} MB`,
  );
  assert.ok(above < MAX_ABOVE_BASE, `${(above / MB).toFixed(1)} MB above the base image`);
  ok(`${(above / MB).toFixed(1)} MB above the base image (< 150 MB)`);

  const found = await docker(['run', '--rm', '--network', 'none', '--entrypoint', 'sh', IMAGE, '-c', INVENTORY]);
  assert.equal(found, '', `the image holds what it should not:\n${found}`);
  ok('no sources, tests, TypeScript, compilers or development dependencies in the image');
}

/** Prints every path that should not be in the image, one a line; nothing when it is clean. */
const INVENTORY = [
  'cd /app',
  'find packages -mindepth 2 -maxdepth 2 ! -name package.json ! -name dist ! -name node_modules ! -path packages/cli/bin',
  "find . -path ./node_modules -prune -o -path '*/node_modules' -prune -o \\( -name '*.ts' -o -name '*.map' \\) -print",
  'for tool in gcc g++ cc make python3 tsc tsx; do command -v $tool; done',
  'for dev in typescript tsup tsx ava eslint prettier lerna esbuild autocannon node-gyp; do ls -d node_modules/$dev 2>/dev/null; done',
  'true',
].join('\n');

/** The image the Dockerfile starts FROM (its first stage's). */
async function baseImage(root: string): Promise<string> {
  const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');
  const from = /^FROM\s+(\S+)/im.exec(dockerfile);
  assert.ok(from, 'the Dockerfile has a FROM line');
  return from[1]!;
}

async function imageSize(image: string): Promise<number> {
  return Number(await docker(['image', 'inspect', '-f', '{{.Size}}', image]));
}
