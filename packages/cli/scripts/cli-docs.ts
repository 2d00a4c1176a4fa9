/**
 * `npm run docs`: regenerates the example sessions of docs/cli.md from real runs of the CLI.
 *
 * A block to generate is marked by a comment listing its commands, one a line, followed by a
 * fenced console block that this script fills with `$ command` and what the command printed
 * (stdout and stderr, in order):
 *
 *   <!-- cli-example
 *   catalog db migrate
 *   catalog seed --count 40 --seed demo
 *   -->
 *
 * `<!-- cli-file NAME -->` before a fenced block writes that block's text to NAME first (an input
 * file for an import). Every block of the document runs in order in one fresh temporary
 * directory, with `catalog` the CLI bundled from the sources, `CATALOG_DATABASE_URL=sqlite:demo.db`
 * and a fixed secret. A command may use `$ID` (the first id printed by the latest command that
 * printed one) and `$NEXT_CURSOR` (the latest `next_cursor`). Values that differ from run to run
 * are then normalised, the same value always to the same stand-in (see normalise.ts).
 *
 * `--check` compares instead of writing and exits 1 when docs/cli.md is stale.
 */
import { exec } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtCli } from '../test/helpers/build.js';
import { createNormaliser } from './normalise.js';

const DOC = fileURLToPath(new URL('../../../docs/cli.md', import.meta.url));
const SECRET = 'docs-secret-docs-secret-docs-secret-0123456789';
const BLOCK = /<!-- cli-(example|file)(?: ([^\n]*?))?(?:\n([\s\S]*?))?-->\n```(\w*)\n([\s\S]*?)```/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const NEXT_CURSOR = /next_cursor"?:\s*"?([A-Za-z0-9_-]{20,})/g;

/** Runs one command line in `dir` with `sh`, stdout and stderr merged in the order printed. */
function runShell(command: string, dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    exec(`{ ${command}\n} 2>&1`, { cwd: dir, env, timeout: 120_000, maxBuffer: 1 << 24 }, (error, stdout) => {
      // A failing command is part of the example (its message, `echo "exit $?"`); a hung one is not.
      if (error?.killed) reject(new Error(`${command}: did not finish`));
      else resolve(stdout);
    });
  });
}

/** The document with every marked block regenerated. */
export async function generate(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-docs-'));
  try {
    const bin = join(dir, '.bin');
    await runShell(`mkdir -p ${bin}`, dir, process.env);
    await writeFile(join(bin, 'catalog'), `#!/bin/sh\nexec "${process.execPath}" "${await builtCli()}" "$@"\n`);
    await chmod(join(bin, 'catalog'), 0o755);
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CATALOG_')) env[key] = value;
    Object.assign(env, {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      CATALOG_DATABASE_URL: 'sqlite:demo.db',
      CATALOG_SECRET: SECRET,
      CATALOG_BCRYPT_COST: '4',
    });
    const normalise = createNormaliser();
    let result = '';
    let last = 0;
    for (const match of text.matchAll(BLOCK)) {
      const [whole, kind, name, commands, , body] = match;
      result += text.slice(last, match.index);
      last = match.index + whole.length;
      if (kind === 'file') {
        await writeFile(join(dir, name!.trim()), body!);
        result += whole;
        continue;
      }
      let session = '';
      for (const command of (commands ?? '').split('\n').filter((line) => line.trim() !== '')) {
        const output = await runShell(command, dir, env);
        session += normalise(
          `$ ${command.replaceAll('$ID', env.ID ?? '$ID').replaceAll('$NEXT_CURSOR', env.NEXT_CURSOR ?? '$NEXT_CURSOR')}\n`,
        );
        session += normalise(output);
        const id = UUID.exec(output)?.[0];
        if (id) env.ID = id;
        for (const cursor of output.matchAll(NEXT_CURSOR)) env.NEXT_CURSOR = cursor[1];
      }
      result += whole.slice(0, whole.length - body!.length - 3) + session + '```';
    }
    return result + text.slice(last);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const check = process.argv.includes('--check');
const current = await readFile(DOC, 'utf8');
const fresh = await generate(current);
if (check) {
  if (fresh !== current) {
    process.stderr.write(
      'docs/cli.md is stale: run `npm run docs` (the examples no longer match what the CLI prints)\n',
    );
    process.exit(1);
  }
  process.stdout.write('docs/cli.md is up to date\n');
} else {
  await writeFile(DOC, fresh);
  process.stdout.write(fresh === current ? 'docs/cli.md was up to date\n' : 'docs/cli.md regenerated\n');
}
process.exit(0);
