import test from 'ava';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SYSTEM_ACTOR } from '@catalog/core';
import { testDatabases } from '@catalog/core/testing';
import { PASSWORD, useServer } from './support/server.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const SDK_ENTRY = pathToFileURL(fileURLToPath(new URL('../src/index.ts', import.meta.url))).href;

/** The ```ts blocks of the README that use the client, in order. */
async function examples(): Promise<string[]> {
  const text = await readFile(README, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .filter((code) => code.includes('createClient'));
}

for (const db of testDatabases()) {
  const live = useServer(test, db);

  test.serial(`every README example runs against a real server [${db.name}]`, async (t) => {
    t.is(PASSWORD, 'correct horse battery', 'the README signs the admin in with this password');
    await live().catalog.users.create(
      { email: 'admin@example.com', password: PASSWORD, role: 'admin' },
      { actor: SYSTEM_ACTOR },
    );
    await live().catalog.products.createMany(
      Array.from({ length: 12 }, (_, i) => ({
        name: `Readme ${i}`,
        category: 'readme',
        price: i * 1.5,
        rating: (i % 5) + 0.5,
      })),
      { actor: SYSTEM_ACTOR },
    );
    const blocks = await examples();
    t.true(blocks.length >= 4, `found ${blocks.length} examples`);
    const dir = await mkdtemp(join(tmpdir(), 'client-readme-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
    try {
      for (const [index, code] of blocks.entries()) {
        const file = join(dir, `example-${db.name}-${index}.mts`);
        const runnable = code
          .replaceAll("'@catalog/client'", `'${SDK_ENTRY}'`)
          .replaceAll('http://127.0.0.1:8000', live().url);
        await writeFile(file, `${runnable}\nexport {};\n`);
        await import(pathToFileURL(file).href);
      }
    } finally {
      console.log = log;
    }
    t.true(
      printed.some((line) => /^signed in as ada\+\d+@example\.com \(user\)$/.test(line)),
      printed.join('\n'),
    );
    t.true(printed.includes('Green tea, loose 5 null'), printed.join('\n'));
    t.true(printed.includes('cancelled (aborted)'), printed.join('\n'));
    t.true(printed.includes('sign in first'), printed.join('\n'));
  });
}
