import type { Product, ProductInput } from '@catalog/contract';
import type { Command } from 'commander';
import { withCatalog } from '../context.js';
import { UsageError } from '../errors.js';
import { commandLine } from '../format/command-line.js';
import { cursorNote, formatOption, renderOne, renderPage, resolveFormat, type OutputFormat } from '../format/output.js';
import { writeAll } from '../format/stream.js';
import { productView } from '../format/views.js';
import { note, write, type Io } from '../io.js';
import { registerExport } from './export.js';
import { addIfVersionOption, ifVersionFrom } from './if-version.js';
import { registerImport } from './import.js';
import { addFieldOptions, fieldsFromFlags, type FieldFlags } from './product-fields.js';
import { addFilterOptions, filterArgs, filterFromFlags, type FilterFlags } from './product-filters.js';

interface ListFlags extends FilterFlags {
  limit?: string;
  cursor?: string;
  all?: boolean;
  total?: boolean;
  format?: OutputFormat;
}

/** Flags of the writes to one product. */
interface WriteFlags {
  ifVersion?: string;
  format?: OutputFormat;
}

/** `catalog products …`: list, get, create, update, delete, restore, import, export. */
export function registerProducts(program: Command, io: Io): void {
  const products = program.command('products').description('list, create, change, import and export products');

  addFilterOptions(products.command('list').description('list products one page at a time (keyset cursor pagination)'))
    .option('--limit <n>', 'page size 1–100 (default: 20)')
    .option('--cursor <cursor>', 'continue from a next_cursor or prev_cursor printed by an earlier page')
    .option('--all', 'print every page (streamed; ignores --limit)')
    .option('--total', 'also print how many products match the filters over all pages')
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Examples:
  $ catalog products list --sort-by price --sort-order asc --limit 5
  $ catalog products list --category books --min-rating 4 --format json
  $ catalog products list --search "tea" --cursor <next_cursor from the previous page>
  $ catalog products list --category books --total
  $ catalog products list --all --format ndjson > products.ndjson`,
    )
    .action(async (flags: ListFlags, command: Command) => {
      const format = resolveFormat(flags.format, io.stdout);
      const filter = filterFromFlags(flags);
      if (flags.all && flags.cursor !== undefined)
        throw new UsageError('--all starts at the first page: leave out --cursor');
      if (flags.all && flags.total)
        throw new UsageError('--all prints how many products it printed: leave out --total');
      // The CLI's operator is an admin: products print as REST shows them to an admin (deleted_at included).
      await withCatalog(command, async (catalog, admin) => {
        if (flags.all) {
          const count = await writeAll(
            catalog.products.iterate(filter, admin),
            format,
            productView(flags.includeDeleted),
            io.stdout,
          );
          if (format === 'table') await write(io.stdout, `${count} products\n`);
          return;
        }
        const page = await catalog.products.list(
          { ...filter, limit: flags.limit, cursor: flags.cursor, include_total: flags.total === true },
          admin,
        );
        const pageArgs = pageCommandArgs(command, flags);
        await write(
          io.stdout,
          renderPage(page, format, productView(flags.includeDeleted), {
            noun: ['product', 'products'],
            commandFor: (cursor) => commandLine([...pageArgs, '--cursor', cursor]),
          }),
        );
        const cursor = cursorNote(page, format);
        if (cursor) note(io, cursor);
      });
    });

  products
    .command('get')
    .description('show one product')
    .argument('<id>', 'product id')
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ catalog products get 0199a1b2-… --format json')
    .action(async (id: string, flags: { format?: OutputFormat }, command: Command) => {
      await withCatalog(command, async (catalog, admin) =>
        printProduct(io, await catalog.products.get(id, admin), flags.format),
      );
    });

  addFieldOptions(products.command('create').description('create a product'), true)
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ catalog products create --name "Green tea" --category drinks --price 3.5 --rating 4.2\n  $ catalog products create --name Mug --category kitchen --price 8',
    )
    .action(async (flags: FieldFlags & { format?: OutputFormat }, command: Command) => {
      const input = fieldsFromFlags(flags) as ProductInput;
      await withCatalog(command, async (catalog, admin) =>
        printProduct(io, await catalog.products.create(input, admin), flags.format),
      );
    });

  addIfVersionOption(
    addFieldOptions(
      products.command('update').description('change some fields of a product (others stay as they are)'),
      false,
    ),
  )
    .argument('<id>', 'product id')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ catalog products update 0199a1b2-… --price 4.25\n  $ catalog products update 0199a1b2-… --rating none\n  $ catalog products update 0199a1b2-… --price 5 --if-version 3',
    )
    .action(async (id: string, flags: FieldFlags & WriteFlags, command: Command) => {
      const condition = ifVersionFrom(flags);
      await withCatalog(command, async (catalog, admin) =>
        printProduct(
          io,
          await catalog.products.patch(id, fieldsFromFlags(flags), { ...admin, ...condition }),
          flags.format,
        ),
      );
    });

  addIfVersionOption(products.command('delete').description('soft-delete a product (restore brings it back)'))
    .argument('<id>', 'product id')
    .addHelpText('after', '\nExample:\n  $ catalog products delete 0199a1b2-… --if-version 2')
    .action(async (id: string, flags: WriteFlags, command: Command) => {
      const condition = ifVersionFrom(flags);
      await withCatalog(command, (catalog, admin) => catalog.products.delete(id, { ...admin, ...condition }));
      note(io, `deleted product ${id}`);
    });

  addIfVersionOption(products.command('restore').description('bring back a soft-deleted product'))
    .argument('<id>', 'product id')
    .addOption(formatOption())
    .addHelpText('after', '\nExample:\n  $ catalog products restore 0199a1b2-…')
    .action(async (id: string, flags: WriteFlags, command: Command) => {
      const condition = ifVersionFrom(flags);
      await withCatalog(command, async (catalog, admin) =>
        printProduct(io, await catalog.products.restore(id, { ...admin, ...condition }), flags.format),
      );
    });

  registerImport(products, io);
  registerExport(products, io);
}

async function printProduct(io: Io, product: Product, format: OutputFormat | undefined): Promise<void> {
  await write(
    io.stdout,
    renderOne(
      product,
      resolveFormat(format, io.stdout),
      productView('deleted_at' in product && product.deleted_at != null),
    ),
  );
}

/** The arguments that reproduce this listing, to which `--cursor X` is appended. */
function pageCommandArgs(command: Command, flags: ListFlags): string[] {
  const { db } = command.optsWithGlobals<{ db?: string }>();
  return [
    ...(db === undefined ? [] : ['--db', db]),
    'products',
    'list',
    ...filterArgs(flags),
    ...(flags.limit === undefined ? [] : ['--limit', flags.limit]),
    ...(flags.total ? ['--total'] : []),
    ...(flags.format === undefined ? [] : ['--format', flags.format]),
  ];
}
