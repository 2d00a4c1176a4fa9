import type { Command } from 'commander';
import { withCatalog } from '../context.js';
import { UsageError } from '../errors.js';
import { startProgress } from '../import/progress.js';
import { note, type Io } from '../io.js';
import { demoBatches } from '../seed/demo-products.js';
import { seededRandom } from '../seed/prng.js';

const BATCH = 1000;
const MAX_COUNT = 10_000_000;

/** `catalog seed --count N [--seed S]`: deterministic demo products, inserted in batches. */
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
        let inserted = 0;
        try {
          for (const batch of demoBatches(seededRandom(flags.seed), count, BATCH)) {
            inserted += (await catalog.products.createMany(batch, admin)).length;
            bar.update(inserted);
          }
        } finally {
          bar.stop();
        }
        note(
          io,
          `seeded ${inserted} products (seed ${JSON.stringify(flags.seed)}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      });
    });
}
