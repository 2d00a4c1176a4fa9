import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CORE_DIR = fileURLToPath(new URL('..', import.meta.url));
const READMES = [
  join(CORE_DIR, '..', '..', 'README.md'),
  join(CORE_DIR, 'README.md'),
  join(CORE_DIR, '..', '..', 'examples', 'embed-library', 'README.md'),
];

/**
 * The ```ts blocks of a README that are whole programs: those that open their own catalog with
 * `createCatalog(`. Fragments (one call shown inside a sentence's context) are not runnable alone.
 */
async function programs(readme: string): Promise<string[]> {
  const text = await readFile(readme, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((code) => code.includes('createCatalog('));
}

/** Runs `code` as a module of the core package (so `@catalog/core` resolves to its sources). */
function run(file: string): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CATALOG_')) env[key] = value;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', file],
      { cwd: CORE_DIR, env, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

for (const [which, readme] of READMES.entries()) {
  const name = readme.slice(join(CORE_DIR, '..', '..').length + 1);
  test(`every library example of ${name} runs and exits 0`, async (t) => {
    const blocks = await programs(readme);
    t.true(blocks.length >= 1, `${name} has no runnable example`);
    for (const [index, code] of blocks.entries()) {
      // One file per README and block: the three tests run at once in this process.
      const file = join(CORE_DIR, `.readme-example-${process.pid}-${which}-${index}.ts`);
      await writeFile(file, `${code}\nexport {};\n`);
      try {
        const result = await run(file);
        t.is(result.code, 0, `${name}, example ${index + 1}:\n${code}\n${result.output}`);
      } finally {
        await rm(file, { force: true });
      }
    }
  });
}
