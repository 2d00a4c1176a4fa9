import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_COMMAND, ROOT } from './paths.js';

export interface CatalogRun {
  stdout: string;
  stderr: string;
  /** Wall-clock seconds of the whole command (process start to exit). */
  seconds: number;
  /** Peak resident set size of the process, in MiB. */
  peakRssMiB: number;
}

export interface CatalogRunOptions {
  env: NodeJS.ProcessEnv;
  /** Written to the command's standard input. */
  stdin?: string;
}

const GNU_TIME = '/usr/bin/time';
/** Preloaded when GNU time is missing: reports this process's own peak RSS as it exits. */
const RSS_REPORTER = `process.on('exit', () => process.stderr.write('\\nbench-peak-rss-kib ' + process.resourceUsage().maxRSS + '\\n'));`;

/**
 * Runs `catalog ARGS` (from the sources, see paths.ts) to completion and measures its wall time
 * and peak RSS: with `/usr/bin/time` when present, else with a preloaded reporter that reads
 * `process.resourceUsage().maxRSS` at exit.
 *
 * @throws {Error} with the command's stderr when it exits non-zero.
 */
export async function runCatalog(args: string[], options: CatalogRunOptions): Promise<CatalogRun> {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-bench-'));
  const timeFile = join(dir, 'time');
  const gnuTime = existsSync(GNU_TIME);
  const node = [...CATALOG_COMMAND, ...args];
  let command: string[];
  if (gnuTime) {
    command = [GNU_TIME, '-f', '%M', '-o', timeFile, ...node];
  } else {
    const reporter = join(dir, 'rss.cjs');
    await writeFile(reporter, RSS_REPORTER);
    command = [process.execPath, '--require', reporter, ...node.slice(1)];
  }
  try {
    const started = performance.now();
    const { code, stdout, stderr } = await spawnCollect(command, options);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`catalog ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`);
    const kib = gnuTime
      ? Number((await readFile(timeFile, 'utf8')).trim().split('\n').at(-1))
      : Number(/bench-peak-rss-kib (\d+)/.exec(stderr)?.[1]);
    return { stdout, stderr, seconds, peakRssMiB: kib / 1024 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function spawnCollect(
  command: string[],
  options: CatalogRunOptions,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd: ROOT,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
