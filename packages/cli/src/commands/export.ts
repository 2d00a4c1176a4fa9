import { open } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import { withCatalog } from '../context.js';
import { writeAll } from '../format/stream.js';
import { productView } from '../format/views.js';
import { note, type Io } from '../io.js';
import { addFilterOptions, filterFromFlags, type FilterFlags } from './product-filters.js';

interface ExportFlags extends FilterFlags {
  format: 'csv' | 'ndjson' | 'json';
  output?: string;
}

/** `catalog products export`: every matching product, streamed through the cursor module. */
export function registerExport(products: Command, io: Io): void {
  addFilterOptions(
    products
      .command('export')
      .description('write every matching product as CSV, NDJSON or a JSON array (streamed, constant memory)'),
  )
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'ndjson', 'json']).default('csv'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .addHelpText(
      'after',
      `
CSV text cells (name, category, sku) starting with = + - @ tab CR or ' get a ' in front, so a
spreadsheet does not run them as formulas; \`catalog products import\` removes it again.

Examples:
  $ catalog products export > products.csv
  $ catalog products export --include-deleted --format json -o backup.json
  $ catalog products export --format ndjson --category books -o books.ndjson
  $ catalog products export | catalog --db sqlite:copy.db products import -`,
    )
    .action(async (flags: ExportFlags, command: Command) => {
      const filter = filterFromFlags(flags);
      await withCatalog(command, async (catalog, admin) => {
        // Opened before streaming so a bad path fails at once with a clear message.
        const out: Writable =
          flags.output === undefined ? io.stdout : (await open(flags.output, 'w')).createWriteStream();
        const records = catalog.products.iterate(filter, flags.includeDeleted ? admin : {});
        const count = await writeAll(records, flags.format, productView(flags.includeDeleted), out);
        if (flags.output !== undefined) {
          out.end();
          await once(out, 'finish');
          note(io, `exported ${count} products to ${flags.output}`);
        }
      });
    });
}
