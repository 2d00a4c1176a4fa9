import test from 'ava';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

test('the SDK has no runtime imports outside itself: packages are type-only, no Node built-ins', async (t) => {
  const files = await sources(SRC);
  t.true(files.length >= 8);
  const offending: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
      const [statement, , typeOnly, specifier = ''] = match;
      if (specifier.startsWith('.')) continue;
      if (!typeOnly || specifier.startsWith('node:'))
        offending.push(`${relative(SRC, file)}: ${statement.split('\n')[0]}`);
    }
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    if (/\b(process\.|Buffer\.|require\()/.test(code)) offending.push(`${relative(SRC, file)}: uses a Node global`);
  }
  t.deepEqual(offending, []);
});
