import type { Command } from 'commander';
import { withCatalog } from '../context.js';
import { UsageError } from '../errors.js';
import { startProgress } from '../import/progress.js';
import { note, type Io } from '../io.js';
import { demoProducts } from '../seed/demo-products.js';
import { seededRandom } from '../seed/prng.js';

const MAX_COUNT = 10_000_000;

/**
 * `catalog seed --count N [--seed S]`: deterministic demo products, streamed through the import
 * path (`products.importMany`): one transaction, the SQLite bulk path, totals and changes written
 * as an import writes them, at the speed of an import.
 */
export function registerSeed(program: Command, io: Io): void {
  program
    .command('seed')
    .description('add N deterministic demo products (same --seed, same products)')
    .option('--count <n>', 'how many products', '100')
    .option('--seed <seed>', 'any text or number; the same seed always gives the same products', 'catalog')
    .addHelpText('after', '\nExamples:\n  $ catalog seed --count 1000\n  $ catalog seed --count 100000 --seed demo-2')
    .action(async (flags: { count: string; seed: string }, command: Command) => {
      const count = Number(flags.count);
      if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
        throw new UsageError(
          `--count must be a whole number from 1 to ${MAX_COUNT} (got ${JSON.stringify(flags.count)})`,
        );
      }
      await withCatalog(command, async (catalog, admin) => {
        const started = Date.now();
        const bar = startProgress(io, 'seeding', count, 'products');
        const { created } = await catalog.products
          .importMany(demoProducts(seededRandom(flags.seed), count), {
            ...admin,
            onProgress: (written) => bar.update(written),
          })
          .finally(() => bar.stop());
        note(
          io,
          `seeded ${created} products (seed ${JSON.stringify(flags.seed)}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      });
    });
}
