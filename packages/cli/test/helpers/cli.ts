import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_OPTIONS } from '@catalog/core/testing';
import { builtCli } from './build.js';
import { CLI_DIR } from './cli-paths.js';

export { CLI_DIR };

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const HANG_MS = 90_000;
const dataDir = mkdtempSync(join(tmpdir(), 'catalog-cli-data-'));

/** The environment of a spawned CLI: no CATALOG_* leaking in from the shell, fast bcrypt, a fixed secret. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CATALOG_')) env[key] = value;
  return {
    ...env,
    CATALOG_SECRET: TEST_OPTIONS.secret!,
    CATALOG_BCRYPT_COST: '4',
    CATALOG_DATA_DIR: dataDir,
    CATALOG_LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Starts `catalog ARGS` as a real process (in the CLI package's directory unless `cwd` says otherwise). */
export async function spawnCli(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd: string = CLI_DIR,
): Promise<ChildProcess> {
  return spawn(process.execPath, [await builtCli(), ...args], {
    cwd,
    env: cliEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export interface RunOptions {
  /** Written to the command's stdin. */
  input?: string;
  /** Added to (or, with '', unsetting) the CATALOG_* environment of `cliEnv`. */
  env?: Record<string, string>;
  /** The working directory (default: packages/cli). */
  cwd?: string;
}

/**
 * Waits until `catalog serve --workers N` (spawned with `spawnCli`) says its workers listen, and
 * returns what it wrote to stderr so far; fails if it exits first. Its stdout is drained.
 */
export function workersListening(serve: ChildProcess): Promise<string> {
  serve.stdout!.resume();
  return new Promise((resolve, reject) => {
    let stderr = '';
    serve.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      if (stderr.includes('workers listening')) resolve(stderr);
    });
    serve.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
}

/**
 * Runs `catalog ARGS` as a real process with `input` on its stdin (stdout and stderr are pipes,
 * so the CLI sees no terminal) and collects its output and exit code.
 */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  await slots.acquire();
  try {
    return await runNow(args, options);
  } finally {
    slots.release();
  }
}

/**
 * At most this many CLI processes per test file at once: the machine has 2 cores, and dozens of
 * processes starting together would each crawl (and trip the hang guard) instead of finishing.
 */
const MAX_PARALLEL = 2;

const slots = {
  running: 0,
  waiting: [] as (() => void)[],
  async acquire(): Promise<void> {
    if (this.running < MAX_PARALLEL) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  },
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  },
};

async function runNow(args: readonly string[], options: RunOptions): Promise<CliResult> {
  const child = await spawnCli(args, options.env, options.cwd);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin!.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    // A hung command fails its test with what it printed, instead of stalling the whole suite.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `catalog ${args.join(' ')} did not finish in ${HANG_MS / 1000} s; stdout: ${stdout} stderr: ${stderr}`,
        ),
      );
    }, HANG_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `catalog --db URL ARGS`. */
export function cliOn(url: string) {
  return (args: readonly string[], options?: RunOptions) => runCli(['--db', url, ...args], options);
}

/** Splits a command line printed by the CLI (POSIX single quotes) back into arguments. */
export function shellSplit(line: string): string[] {
  const args: string[] = [];
  let current: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      current = (current ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      current = (current ?? '') + line[++i];
    } else if (c === ' ') {
      if (current !== undefined) args.push(current);
      current = undefined;
    } else current = (current ?? '') + c;
  }
  if (current !== undefined) args.push(current);
  return args;
}

/** Parses NDJSON output into values. */
export function ndjson<T = unknown>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
